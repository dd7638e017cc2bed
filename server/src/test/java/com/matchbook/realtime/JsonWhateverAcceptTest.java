package com.matchbook.realtime;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TracelessServer;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md "POST /send-message" (1.1): "JSON endpoints answer JSON whatever the Accept header says", for every JSON
 * endpoint a client can GET, and for a broadcast, which must not be delivered and then refused.
 */
class JsonWhateverAcceptTest {
    @RegisterExtension
    static final TracelessServer SERVED = new TracelessServer(Map.of("matchbook.heartbeat-interval", "PT60S"));

    private static RunningServer server() {
        return SERVED.server();
    }

    @BeforeAll
    static void start() {
        assertEquals(202, Http.postJson(server().http("/send-message"), "{\"from\":\"ann\",\"to\":\"bob\",\"text\":\"hi\"}")
                .status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/events", "/api/sse", "/api/stats", "/api/client-config", "/api/users/bob/presence",
            "/api/users/bob/blocks", "/api/users/bob/messages?since=0", "/api/users/bob/conversations",
            "/api/users/bob/conversations/ann/messages", "/api/admin/connections", "/api/admin/series",
            "/api/admin/status"})
    void aGetAnswersJsonToABrowserAccept(String path) {
        for (String accept : List.of("text/html", "application/xml", "text/plain;q=0.5, image/png")) {
            Http.Reply r = Http.get(server().http(path), accept);
            assertEquals(200, r.status(), path + " with Accept " + accept + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
            assertFalse(r.json().isEmpty(), path);
        }
    }

    @Test
    void aBroadcastWithABrowserAcceptIsAnswered202AndDeliveredOnce() {
        try (TestSocket s = TestSocket.welcomed(server().ws("?id=listener"))) {
            Http.Reply r = Http.send(HttpRequest.newBuilder(server().http("/api/broadcast"))
                                             .header("Content-Type", "application/json")
                                             .header("Accept", "text/html")
                                             .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"to all\"}")));
            assertEquals(202, r.status(), r.body());
            assertTrue(r.json().getInt("connections") >= 1, r.body());
            assertEquals("to all", s.next("message").getString("text"));
            assertEquals(202, Http.postJson(server().http("/send-message"), "{\"to\":\"listener\",\"text\":\"after\"}")
                    .status());
            assertEquals("after", s.next(f -> !f.type().equals("ping")).json().getString("text"),
                         "no second copy of the broadcast before the next message");
        }
    }
}
