package com.matchbook.realtime;

import java.util.Map;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence, stats, broadcast, the retired SSE endpoints, health and metrics. */
class HttpApiTest {
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void presenceCountsEveryConnectionOfAUser() {
        JsonObject offline = Http.get(server.http("/api/users/present/presence")).json();
        assertEquals("present", offline.getString("id"));
        assertFalse(offline.getBoolean("online"));
        assertEquals(0, offline.getInt("connections"));
        try (TestSocket a = TestSocket.welcomed(server.ws("?id=present"));
             TestSocket b = TestSocket.welcomed(server.ws("?id=present"))) {
            JsonObject online = Http.get(server.http("/api/users/present/presence")).json();
            assertTrue(online.getBoolean("online"));
            assertEquals(2, online.getInt("connections"));
        }
        Eventually.holds("offline again", () -> Http.get(server.http("/api/users/present/presence")).json()
                .getInt("connections") == 0);
    }

    @Test
    void presenceOfAnIllegalIdIs400() {
        Http.Reply r = Http.get(server.http("/api/users/bad%20id/presence"));
        assertEquals(400, r.status());
        assertEquals("invalid_field", r.json().getString("error"));
    }

    @Test
    void statsCountConnectionsAndMessages() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=counted"))) {
            JsonObject before = Http.get(server.http("/api/stats")).json();
            Http.postJson(server.http("/send-message"), "{\"to\":\"counted\",\"text\":\"count me\"}");
            s.next("message");
            JsonObject after = Eventually.value("messagesOut counted",
                                                () -> Http.get(server.http("/api/stats")).json(),
                                                j -> j.getJsonNumber("messagesOut").longValue()
                                                        > before.getJsonNumber("messagesOut").longValue());
            assertTrue(after.getInt("connections") >= 1);
            assertTrue(after.getInt("users") >= 1);
            assertEquals(before.getJsonNumber("messagesIn").longValue() + 1,
                         after.getJsonNumber("messagesIn").longValue());
            assertTrue(after.getJsonNumber("uptimeMs").longValue() > 0);
        }
    }

    @Test
    void broadcastReachesEveryoneLiveAndIsNotStored() {
        try (TestSocket a = TestSocket.welcomed(server.ws("?id=bc-a"));
             TestSocket b = TestSocket.welcomed(server.ws("?id=bc-b"))) {
            Http.Reply r = Http.postJson(server.http("/api/broadcast"),
                                         "{\"text\":\"maintenance at noon\",\"channel\":\"announcements\"}");
            assertEquals(202, r.status());
            assertTrue(r.json().getInt("connections") >= 2);
            for (TestSocket s : new TestSocket[] {a, b}) {
                JsonObject m = s.next("message");
                assertEquals("maintenance at noon", m.getString("text"));
                assertTrue(m.getBoolean("broadcast"));
                assertEquals("announcements", m.getString("channel"));
                assertFalse(m.containsKey("seq"), "a broadcast has no seq");
            }
        }
        JsonObject history = Http.get(server.http("/api/users/bc-a/messages")).json();
        assertEquals(0, history.getJsonArray("messages").size());
    }

    @Test
    void broadcastWithoutTextOrDataIs400() {
        Http.Reply r = Http.postJson(server.http("/api/broadcast"), "{\"channel\":\"x\"}");
        assertEquals(400, r.status());
        assertEquals("missing_field", r.json().getString("error"));
    }

    @Test
    void retiredSseEndpointsPointToTheWebSocket() {
        for (String path : new String[] {"/events?id=alice", "/api/sse"}) {
            Http.Reply r = Http.get(server.http(path));
            assertEquals(200, r.status(), path);
            JsonObject notice = r.json();
            assertTrue(notice.getBoolean("deprecated"));
            assertEquals("websocket", notice.getString("transport"));
            assertEquals("/ws?id={userId}", notice.getString("endpoint"));
            String link = r.headers().firstValue("Link").orElse("");
            assertTrue(link.contains("</ws>") && link.contains("rel=\"alternate\""), link);
        }
    }

    @Test
    void aCachedPageIsRevalidatedWith304AndNoBody() {
        Http.Reply page = Http.get(server.http("/"));
        String etag = page.headers().firstValue("ETag").orElseThrow();
        Http.Reply again = Http.send(java.net.http.HttpRequest.newBuilder(server.http("/"))
                                             .header("If-None-Match", etag).GET());
        assertEquals(304, again.status());
        assertEquals("", again.body());
    }

    @Test
    void healthAndMetricsAreServed() {
        Http.Reply health = Http.get(server.http("/health"));
        assertEquals(200, health.status());
        assertEquals("UP", health.json().getString("status"));
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=metered"))) {
            Http.postJson(server.http("/send-message"), "{\"to\":\"metered\",\"text\":\"m\"}");
            s.next("message");
            Http.Reply metrics = Http.get(server.http("/metrics"), "text/plain");
            assertEquals(200, metrics.status());
            assertTrue(metrics.body().contains("matchbook_connections"), "connections gauge");
            assertTrue(metrics.body().contains("matchbook_messages_in_total"), "messages in");
            assertTrue(metrics.body().contains("matchbook_messages_out_total"), "messages out");
            assertTrue(metrics.body().contains("matchbook_delivery_latency_seconds_count"), "delivery latency");
        }
    }
}
