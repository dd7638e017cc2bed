package com.matchbook.realtime;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;
import com.matchbook.realtime.support.TestTokens;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a secret set, nobody reads or sends as someone else. */
class AuthTest {
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.auth.secret", TestTokens.SECRET,
                                            "matchbook.auth.leeway", "PT0S",
                                            "matchbook.heartbeat-interval", "PT0.5S",
                                            "matchbook.auth.dev-tokens", "true"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The first frame must be the close, with this code. */
    private static void refused(String query, String extraHeaders, int code) throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), query, extraHeaders)) {
            assertTrue(raw.upgraded());
            RawSocket.Frame first = raw.read();
            assertEquals(RawSocket.CLOSE, first.opcode(), "no frame before the close: " + first.text());
            assertEquals(code, first.closeCode(), first.closeReason());
            assertFalse(first.closeReason().isBlank());
        }
    }

    @Test
    void socketRefusalsCarryTheContractsCodes() throws Exception {
        refused("?id=sec", "", 4001);
        refused("?id=sec&token=not.a.jwt", "", 4001);
        refused("?id=sec&token=" + TestTokens.forged("sec"), "", 4001);
        refused("?id=sec&token=" + TestTokens.user("sec", Duration.ofMinutes(-5)), "", 4001);
        refused("?id=sec&token=" + TestTokens.user("someone-else"), "", 4003);
        refused("?id=sec", "Authorization: Bearer " + TestTokens.user("someone-else") + "\r\n", 4003);
    }

    @Test
    void aValidTokenOpensTheSocketByQueryOrHeader() {
        try (TestSocket byQuery = TestSocket.welcomed(server.ws("?id=sec-ok&token=" + TestTokens.user("sec-ok")));
             TestSocket byHeader = TestSocket.open(server.ws("?id=sec-ok"),
                                                   Map.of("Authorization", "Bearer " + TestTokens.user("sec-ok")))) {
            assertEquals("sec-ok", byQuery.welcome().getString("id"));
            assertEquals("welcome", byHeader.next().type());
        }
    }

    @Test
    void httpNeedsABearerTokenAndTheSenderIsItsSubject() {
        Http.Reply anonymous = Http.postJson(server.http("/send-message"), "{\"to\":\"h-bob\",\"text\":\"hi\"}");
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized", anonymous.json().getString("error"));
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, post(TestTokens.forged("h-alice"), "{\"to\":\"h-bob\",\"text\":\"hi\"}").status());
        assertEquals(401, post(TestTokens.user("h-alice", Duration.ofMinutes(-1)),
                               "{\"to\":\"h-bob\",\"text\":\"hi\"}").status());

        try (TestSocket bob = TestSocket.welcomed(server.ws("?id=h-bob&token=" + TestTokens.user("h-bob")))) {
            Http.Reply spoofed = post(TestTokens.user("h-alice"), "{\"to\":\"h-bob\",\"from\":\"h-carol\",\"text\":\"x\"}");
            assertEquals(202, spoofed.status());
            assertEquals("h-alice", bob.next("message").getString("from"), "a user token cannot pick its sender");
            Http.Reply service = post(TestTokens.service("matcher"), "{\"to\":\"h-bob\",\"from\":\"h-carol\",\"text\":\"y\"}");
            assertEquals(202, service.status());
            assertEquals("h-carol", bob.next("message").getString("from"), "a service token may");
            for (String from : new String[] {"7", "null", "{\"x\":1}", "\"not an id!\""}) {
                Http.Reply ignored = post(TestTokens.user("h-alice"), "{\"to\":\"h-bob\",\"from\":" + from + ",\"text\":\"z\"}");
                assertEquals(202, ignored.status(), "a user token sends whatever from says, " + from + ": " + ignored.body());
                assertEquals("h-alice", bob.next("message").getString("from"));
            }
            assertEquals(400, post(TestTokens.service("matcher"), "{\"to\":\"h-bob\",\"from\":7,\"text\":\"z\"}")
                    .status(), "a service's from names the sender, so it must be one");
        }
    }

    @Test
    void userDataIsOnlyForThatUserOrAService() {
        assertEquals(401, Http.get(server.http("/api/users/u-bob/messages")).status());
        assertEquals(403, get("/api/users/u-bob/messages", TestTokens.user("u-alice")).status());
        assertEquals("forbidden", get("/api/users/u-bob/presence", TestTokens.user("u-alice")).json().getString("error"));
        assertEquals(200, get("/api/users/u-bob/messages", TestTokens.user("u-bob")).status());
        assertEquals(200, get("/api/users/u-bob/presence", TestTokens.service("ops")).status());
        assertEquals(200, get("/api/stats", TestTokens.user("u-alice")).status());
        assertEquals(401, Http.get(server.http("/api/stats")).status());
    }

    @Test
    void onlyAServiceMayBroadcast() {
        String body = "{\"text\":\"all hands\"}";
        assertEquals(403, post("/api/broadcast", TestTokens.user("b-alice"), body).status());
        assertEquals(202, post("/api/broadcast", TestTokens.service("ops"), body).status());
    }

    @Test
    void publicEndpointsStayPublic() {
        assertEquals(200, Http.get(server.http("/health")).status());
        assertEquals(200, Http.get(server.http("/metrics")).status());
        assertEquals(200, Http.get(server.http("/events")).status(), "the retirement notice");
    }

    @Test
    void sseStreamNeedsTheUsersToken() {
        Http.Reply noToken = Http.get(server.http("/events?id=s-bob"), "text/event-stream");
        assertEquals(401, noToken.status());
        Http.Reply other = Http.get(server.http("/events?id=s-bob&token=" + TestTokens.user("s-alice")),
                                    "text/event-stream");
        assertEquals(403, other.status());
    }

    @Test
    void devTokenEndpointHandsOutWorkingTokensWhenEnabled() {
        JsonObject dev = Http.get(server.http("/dev/token?id=dev-user")).json();
        assertTrue(dev.getBoolean("devOnly"));
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=dev-user&token=" + dev.getString("token")))) {
            assertEquals("dev-user", s.welcome().getString("id"));
        }
        assertEquals(400, Http.get(server.http("/dev/token?id=bad%20id")).status());
    }

    @Test
    void devTokenEndpointDoesNotExistByDefault() {
        try (RunningServer plain = RunningServer.start(Map.of("matchbook.auth.secret", TestTokens.SECRET))) {
            assertEquals(404, Http.get(plain.http("/dev/token?id=x")).status());
        }
    }

    @Test
    void aRefreshedTokenKeepsTheConnectionPastTheFirstTokensExpiry() {
        Duration life = Duration.ofSeconds(3);
        try (TestSocket refreshed = TestSocket.welcomed(server.ws("?id=refresher&token="
                                                                  + TestTokens.user("refresher", life)));
             TestSocket stale = TestSocket.welcomed(server.ws("?id=stale&token=" + TestTokens.user("stale", life)))) {
            refreshed.send("{\"type\":\"auth\",\"token\":\"" + TestTokens.user("someone-else") + "\",\"ref\":\"x\"}");
            assertEquals("forbidden", refreshed.next("error").getString("code"), "another user's token is refused");
            refreshed.send("{\"type\":\"auth\",\"token\":\"" + TestTokens.user("refresher", Duration.ofMinutes(5)) + "\"}");
            TestSocket.Close close = stale.awaitClose();
            assertEquals(4001, close.code(), "the unrefreshed one is closed for its expired token");
            long beatsAfterExpiry = 4;
            for (int i = 0; i < beatsAfterExpiry; i++) {
                refreshed.next("ping");
            }
            assertFalse(refreshed.isClosed(), "alive past the first token's expiry");
            refreshed.send("{\"type\":\"send\",\"ref\":\"late\",\"to\":\"refresher\",\"text\":\"still me\"}");
            assertEquals("late", refreshed.next("ack").getString("ref"));
        }
    }

    private static Http.Reply post(String token, String body) {
        return post("/send-message", token, body);
    }

    private static Http.Reply post(String path, String token, String body) {
        return Http.send(HttpRequest.newBuilder(server.http(path))
                                 .header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + token)
                                 .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Http.Reply get(String path, String token) {
        return Http.send(HttpRequest.newBuilder(server.http(path)).header("Authorization", "Bearer " + token).GET());
    }
}
