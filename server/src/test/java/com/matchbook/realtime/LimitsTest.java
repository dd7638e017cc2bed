package com.matchbook.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.Json;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.SseClient;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No single client can hurt the others: origins, rates, connection caps, admission. */
class LimitsTest {

    @Test
    void foreignOriginIsClosedWith1008AndTheSameHostIsWelcome() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of())) {
            String host = "127.0.0.1:" + server.port();
            try (RawSocket foreign = new RawSocket(server.port(), "?id=o1", "Origin: http://evil.example\r\n")) {
                RawSocket.Frame first = foreign.read();
                assertEquals(RawSocket.CLOSE, first.opcode());
                assertEquals(1008, first.closeCode());
            }
            try (RawSocket same = new RawSocket(server.port(), "?id=o2", "Origin: http://" + host + "\r\n")) {
                assertTrue(same.read().text().contains("\"welcome\""));
            }
            try (RawSocket none = new RawSocket(server.port(), "?id=o3")) {
                assertTrue(none.read().text().contains("\"welcome\""), "no Origin (not a browser): not checked");
            }
        }
    }

    @Test
    void configuredOriginsAreComparedExactly() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.allowed-origins",
                                                                "https://app.matchbook.example, http://localhost:3000"))) {
            try (RawSocket listed = new RawSocket(server.port(), "?id=o4", "Origin: http://localhost:3000\r\n")) {
                assertTrue(listed.read().text().contains("\"welcome\""));
            }
            try (RawSocket sameHost = new RawSocket(server.port(), "?id=o5",
                                                    "Origin: http://127.0.0.1:" + server.port() + "\r\n")) {
                assertEquals(1008, sameHost.read().closeCode(), "once configured, only the list counts");
            }
            try (RawSocket lookalike = new RawSocket(server.port(), "?id=o6",
                                                     "Origin: https://app.matchbook.example.evil.example\r\n")) {
                assertEquals(1008, lookalike.read().closeCode());
            }
        }
    }

    @Test
    void aFloodingConnectionGetsRateLimitedErrorsThen4029() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.frames-per-second", "5"));
             TestSocket flooder = TestSocket.welcomed(server.ws("?id=flooder"));
             TestSocket neighbour = TestSocket.welcomed(server.ws("?id=neighbour"))) {
            for (int i = 0; i < 40 && !flooder.isClosed(); i++) {
                flooder.send("{\"type\":\"typing\",\"to\":\"neighbour\",\"state\":\"start\"}");
            }
            assertEquals("rate_limited", flooder.next("error").getString("code"));
            TestSocket.Close close = flooder.awaitClose();
            assertEquals(4029, close.code());
            assertTrue(close.reason().matches("retry-after-ms=\\d+"), "the hint alone, as the contract words it: " + close.reason());
            neighbour.send("{\"type\":\"send\",\"ref\":\"n\",\"to\":\"neighbour\",\"text\":\"unaffected\"}");
            assertEquals("n", neighbour.next("ack").getString("ref"));
        }
    }

    @Test
    void aUserPastItsConnectionCapIsRefusedWith4029() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.connections-per-user", "2"));
             TestSocket a = TestSocket.welcomed(server.ws("?id=capped"));
             TestSocket b = TestSocket.welcomed(server.ws("?id=capped"));
             TestSocket c = TestSocket.open(server.ws("?id=capped"))) {
            TestSocket.Close close = c.awaitClose();
            assertEquals(4029, close.code());
            assertTrue(close.reason().endsWith("retry-after-ms=30000"), "4029: reconnect after the delay in the reason: "
                    + close.reason());
            assertEquals(2, server.app().hub().connectionsOf("capped"));
            assertFalse(a.isClosed() || b.isClosed());
        }
    }

    @Test
    void anSseStreamPastTheUsersCapEndsWithA4029CloseEventCarryingTheDelay() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.connections-per-user", "1"));
             TestSocket first = TestSocket.welcomed(server.ws("?id=sse-capped"));
             SseClient second = new SseClient(server.http("/events?id=sse-capped"), Map.of())) {
            JsonObject close = Json.parse(second.next("close").data());
            assertEquals(4029, close.getInt("code"));
            assertTrue(close.getString("reason").endsWith("retry-after-ms=30000"), close.getString("reason"));
            assertFalse(first.isClosed());
        }
    }

    @Test
    void upgradesOverTheAdmissionRateAre503WithRetryAfter() throws Exception {
        // One a second: ten upgrades in a row leave at least five refused unless they take over four seconds, which
        // a loaded machine does not reach; at three a second the ten had to fit in 0.67 s.
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.connections-per-second", "1"))) {
            List<RawSocket> sockets = new ArrayList<>();
            int refused = 0;
            String retryAfter = "";
            try {
                for (int i = 0; i < 10; i++) {
                    RawSocket s = new RawSocket(server.port(), "?id=storm-" + i);
                    sockets.add(s);
                    if (!s.upgraded()) {
                        refused++;
                        assertTrue(s.responseHead().startsWith("HTTP/1.1 503"), s.responseHead());
                        retryAfter = s.responseHead().lines().filter(l -> l.toLowerCase().startsWith("retry-after:"))
                                .findFirst().orElse("");
                    }
                }
            } finally {
                for (RawSocket s : sockets) {
                    s.close();
                }
            }
            assertTrue(refused >= 5, "refused " + refused + " of 10 at 1 per second");
            assertTrue(retryAfter.matches("(?i)retry-after: *\\d+"), retryAfter);
        }
    }

    @Test
    void sendMessageOverThePerIpRateIs429WithRetryAfter() {
        // One a second, so the ten sends need not fit in 0.67 s (as at three a second) to leave five limited.
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.sends-per-second", "1"))) {
            int limited = 0;
            for (int i = 0; i < 10; i++) {
                Http.Reply r = Http.postJson(server.http("/send-message"), "{\"to\":\"rated\",\"text\":\"" + i + "\"}");
                if (r.status() == 429) {
                    limited++;
                    assertEquals("rate_limited", r.json().getString("error"));
                    assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow()) >= 1);
                } else {
                    assertEquals(202, r.status());
                }
            }
            assertTrue(limited >= 5, "limited " + limited + " of 10 at 1 per second");
        }
    }

    @Test
    void plainHttpGetOnTheSocketPathIs426() {
        try (RunningServer server = RunningServer.start(Map.of())) {
            Http.Reply r = Http.get(server.http("/ws?id=x"));
            assertEquals(426, r.status());
            assertEquals("upgrade_required", r.json().getString("error"));
        }
    }

    @Test
    void pagesCarryAContentSecurityPolicy() {
        try (RunningServer server = RunningServer.start(Map.of())) {
            Http.Reply page = Http.get(server.http("/"));
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'self'"), csp);
            assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        }
    }
}
