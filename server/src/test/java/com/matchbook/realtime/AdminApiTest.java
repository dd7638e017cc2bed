package com.matchbook.realtime;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.SseClient;
import com.matchbook.realtime.support.TestSocket;
import com.matchbook.realtime.support.TestTokens;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator console's API with auth on (PROTOCOL.md "Operator console", close code 4030). */
class AdminApiTest {
    private static RunningServer server;
    private static final String ADMIN = TestTokens.admin("ops");
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.auth.secret", TestTokens.SECRET,
                                            "matchbook.auth.leeway", "PT0S"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Reply call(String method, String path, Optional<String> token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path)).method(method, HttpRequest.BodyPublishers.noBody());
        token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return Http.send(b);
    }

    private static JsonObject list(String query) {
        Http.Reply r = call("GET", "/api/admin/connections" + query, Optional.of(ADMIN));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static TestSocket connect(String user) {
        return TestSocket.welcomed(server.ws("?id=" + user + "&token=" + TestTokens.user(user)));
    }

    @Test
    void withoutAnAdminOrServiceTokenTheConsoleIsRefused() {
        Http.Reply none = call("GET", "/api/admin/connections", Optional.empty());
        assertEquals(401, none.status());
        assertEquals("unauthorized", none.json().getString("error"));
        Http.Reply user = call("GET", "/api/admin/connections", Optional.of(TestTokens.user("ops")));
        assertEquals(403, user.status());
        assertEquals("forbidden", user.json().getString("error"));
        assertEquals(403, call("DELETE", "/api/admin/users/someone/connections", Optional.of(TestTokens.user("x")))
                .status());
        assertEquals(401, call("GET", "/api/admin/series", Optional.of(TestTokens.forged("ops"))).status());

        assertEquals(200, call("GET", "/api/admin/connections", Optional.of(ADMIN)).status());
        assertEquals(200, call("GET", "/api/admin/connections", Optional.of(TestTokens.service("backend"))).status());
    }

    @Test
    void anOpenConnectionIsListedWithTheContractsFields() {
        try (TestSocket ws = connect("adm-listed");
             SseClient sse = new SseClient(server.http("/events?id=adm-listed"),
                                           Map.of("Authorization", "Bearer " + TestTokens.user("adm-listed")))) {
            assertEquals(200, sse.status());
            JsonObject all = Eventually.value("both connections listed", () -> list("?user=adm-listed"),
                                              j -> j.getInt("total") == 2);
            conforms("AdminConnections", all.toString());
            List<JsonObject> conns = all.getJsonArray("connections").getValuesAs(JsonObject.class);
            assertEquals(2, conns.size());
            assertEquals(List.of("sse", "websocket"),
                         conns.stream().map(c -> c.getString("transport")).sorted().toList());
            for (JsonObject c : conns) {
                assertEquals("adm-listed", c.getString("user"));
                assertEquals("local", c.getString("node"));
                assertFalse(c.getString("connectionId").isEmpty());
                java.time.Instant.parse(c.getString("openedAt"));
                assertTrue(c.getJsonNumber("ageMs").longValue() >= 0);
                assertTrue(c.getInt("outboxDepth") >= 0);
            }
            JsonObject limited = list("?limit=1");
            assertEquals(1, limited.getJsonArray("connections").size());
            assertTrue(limited.getInt("total") >= 2);
        }
    }

    @Test
    void deletingAConnectionClosesItWith4030AndUnknownIdsAre404() {
        try (TestSocket victim = connect("adm-victim"); TestSocket bystander = connect("adm-bystander")) {
            String id = list("?user=adm-victim").getJsonArray("connections").getJsonObject(0).getString("connectionId");
            Http.Reply r = call("DELETE", "/api/admin/connections/" + id, Optional.of(ADMIN));
            assertEquals(204, r.status(), r.body());
            TestSocket.Close close = victim.awaitClose();
            assertEquals(CloseCodes.CLOSED_BY_OPERATOR, close.code());
            assertEquals(0, list("?user=adm-victim").getInt("total"));
            assertFalse(bystander.isClosed(), "only the one connection is closed");

            Http.Reply again = call("DELETE", "/api/admin/connections/" + id, Optional.of(ADMIN));
            assertEquals(404, again.status());
            assertEquals("not_found", again.json().getString("error"));
        }
    }

    @Test
    void deletingAUsersConnectionsClosesEveryOneOfThem() {
        try (TestSocket a = connect("adm-user"); TestSocket b = connect("adm-user"); TestSocket other = connect("adm-other")) {
            assertEquals(2, list("?user=adm-user").getInt("total"));
            assertEquals(204, call("DELETE", "/api/admin/users/adm-user/connections", Optional.of(ADMIN)).status());
            assertEquals(CloseCodes.CLOSED_BY_OPERATOR, a.awaitClose().code());
            assertEquals(CloseCodes.CLOSED_BY_OPERATOR, b.awaitClose().code());
            assertFalse(other.isClosed());
            assertEquals(204, call("DELETE", "/api/admin/users/nobody-here/connections", Optional.of(ADMIN)).status());
        }
    }

    @Test
    void badQueriesGetAClearError() {
        Http.Reply r = call("GET", "/api/admin/connections?limit=0", Optional.of(ADMIN));
        assertEquals(400, r.status());
        assertEquals("invalid_field", r.json().getString("error"));
        assertEquals(400, call("GET", "/api/admin/connections?limit=x", Optional.of(ADMIN)).status());
        assertEquals(400, call("GET", "/api/admin/connections?user=bad%20id", Optional.of(ADMIN)).status());
    }

    @Test
    void theSeriesCountsMessagesAndConnectionsEverySecond() {
        try (TestSocket bob = connect("adm-series")) {
            String token = TestTokens.service("backend");
            for (int i = 0; i < 5; i++) {
                Http.send(HttpRequest.newBuilder(server.http("/send-message"))
                                  .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                                  .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"adm-series\",\"text\":\"m" + i + "\"}")));
                bob.next("message");
            }
            JsonObject series = Eventually.value("a second with the messages in the series", () -> {
                Http.Reply r = call("GET", "/api/admin/series", Optional.of(ADMIN));
                assertEquals(200, r.status(), r.body());
                return r.json();
                // Rates per second over ticks of a little more than a second: five messages add up to just under 5.
            }, j -> sum(j.getJsonObject("cluster"), "messagesOut") >= 4.5 && sum(j.getJsonObject("cluster"), "messagesIn") >= 4.5);
            conforms("AdminSeries", series.toString());
            conforms("AdminStatus", call("GET", "/api/admin/status", Optional.of(ADMIN)).body());
            JsonObject node = series.getJsonArray("nodes").getJsonObject(0);
            assertEquals("local", node.getString("node"));
            assertTrue(node.getBoolean("healthy"));
            JsonObject cluster = series.getJsonObject("cluster");
            assertEquals(cluster.getJsonArray("t").size(), cluster.getJsonArray("connections").size());
            assertTrue(cluster.getJsonArray("connections").stream().anyMatch(v -> Long.parseLong(v.toString()) >= 1),
                       "the open socket is counted");
            assertTrue(cluster.getJsonArray("deliveryP99Ms").stream().anyMatch(v -> v.getValueType()
                                                                               == jakarta.json.JsonValue.ValueType.NUMBER));
            long last = cluster.getJsonArray("t").getJsonNumber(cluster.getJsonArray("t").size() - 1).longValue();
            JsonObject after = call("GET", "/api/admin/series?after=" + last, Optional.of(ADMIN)).json();
            assertTrue(after.getJsonObject("cluster").getJsonArray("t").stream()
                               .allMatch(t -> Long.parseLong(t.toString()) > last), "only newer samples");
        }
    }

    @Test
    void theSeriesShowTcpRefusalsAndHeaderTimeouts() throws Exception {
        try (RunningServer own = RunningServer.start(Map.of("matchbook.limits.connections-per-address", "2",
                                                            "matchbook.limits.header-timeout", "PT4S"))) {
            // From 127.0.0.2, so the test's own HTTP calls (from 127.0.0.1) are not counted against the cap: two
            // silent sockets take the address's two places, the third is refused, and the two are cut one header
            // timeout later. The timeout is long enough that the two are still held when the third arrives, however
            // slowly this machine connects.
            List<Socket> silent = List.of(from("127.0.0.2", own.port()), from("127.0.0.2", own.port()));
            Eventually.holds("both counted", () -> own.app().connectionGuard().open() == 2);
            try (Socket third = from("127.0.0.2", own.port())) {
                String answer = new String(third.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 429", answer);
            }
            for (Socket s : silent) {
                assertEquals(-1, s.getInputStream().read(), "the silent socket was cut");
                s.close();
            }
            JsonObject series = Eventually.value("the refusal and both timeouts in the series", () -> {
                Http.Reply r = Http.get(own.http("/api/admin/series"));
                assertEquals(200, r.status(), r.body());
                return r.json();
            }, j -> sum(j.getJsonObject("cluster"), "tcpHeaderTimeouts") >= 2);
            // Counts, not rates: the window adds up to exactly what happened.
            assertEquals(1.0, sum(series.getJsonObject("cluster"), "tcpRefusedPerAddress"), series.toString());
            assertEquals(2.0, sum(series.getJsonObject("cluster"), "tcpHeaderTimeouts"), series.toString());
            conforms("AdminSeries", series.toString());
            JsonObject node = series.getJsonArray("nodes").getJsonObject(0).getJsonObject("series");
            assertEquals(0.0, sum(node, "tcpRefusedFull"), "no refusal for the node cap");
            assertTrue(node.getJsonArray("tcpOpen").stream().anyMatch(v -> Long.parseLong(v.toString()) >= 2),
                       "the held sockets were open TCP connections");
        }
    }

    private static Socket from(String localAddress, int port) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void prometheusNamesCarryUnitsAndTotalsAndRefusalsTheirReason() {
        try (TestSocket refused = TestSocket.open(server.ws("?id=adm-metrics&token=" + TestTokens.forged("adm-metrics")))) {
            assertEquals(CloseCodes.UNAUTHORIZED, refused.awaitClose().code());
        }
        String metrics = Http.get(server.http("/metrics"), "text/plain").body();
        java.util.regex.Matcher token = java.util.regex.Pattern
                .compile("(?m)^matchbook_connections_refused_total\\{[^}]*reason=\"token\"[^}]*} ([0-9.]+)$").matcher(metrics);
        assertTrue(token.find(), "refusals by reason:\n" + metrics);
        // The registry is global to the JVM: in a full test run its meters read the first server's counters, so the
        // count is checked on this server's own Stats, which those meters read.
        assertEquals(1, server.app().stats().refusedToken(), "the forged token counted as a token refusal");
        for (String name : List.of("matchbook_connections_closed_total", "matchbook_sse_connections",
                                   "matchbook_messages_replayed_total", "matchbook_rate_limited_total",
                                   "matchbook_store_commit_seconds_count", "matchbook_delivery_latency_seconds_count")) {
            assertTrue(metrics.contains(name), name);
        }
        for (String tcp : List.of("reason=\"max_connections\"", "reason=\"per_address\"", "phase=\"request_head\"",
                                  "phase=\"keep_alive\"", "phase=\"request_body\"")) {
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("matchbook_tcp_") && l.contains(tcp)),
                       "TCP refusals and timeouts by cause: " + tcp);
        }
    }

    /** The answer matches its schema in docs/openapi.yaml, so the document cannot drift from the code. */
    private static void conforms(String schema, String json) {
        var errors = SCHEMAS.getSchema(SchemaLocation.of("classpath:docs/openapi.yaml#/components/schemas/" + schema))
                .validate(json, InputFormat.JSON);
        assertTrue(errors.isEmpty(), () -> schema + ": " + errors + "\n  for " + json);
    }

    private static double sum(JsonObject columns, String figure) {
        return columns.getJsonArray(figure).stream()
                .filter(v -> v.getValueType() == jakarta.json.JsonValue.ValueType.NUMBER)
                .mapToDouble(v -> ((jakarta.json.JsonNumber) v).doubleValue()).sum();
    }

}
