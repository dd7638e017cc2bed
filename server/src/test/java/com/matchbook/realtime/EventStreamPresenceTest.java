package com.matchbook.realtime;

import java.time.Duration;
import java.util.Map;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.SseClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An SSE fallback stream counts as online while it is open, and stops counting soon after the client leaves. */
class EventStreamPresenceTest {
    /**
     * Well below the heartbeat interval (25 s by default), the only other moment the server writes to an idle
     * stream: before streams were probed, a closed one stayed online until then.
     */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
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
    void aStreamClosedByTheClientIsOfflineWithinSeconds() {
        try (SseClient sse = new SseClient(server.http("/events?id=sse-leaver"), Map.of())) {
            sse.next("welcome");
            assertEquals(1, connections("sse-leaver"));
        }
        Eventually.holds("sse-leaver offline within " + GONE_WITHIN, () -> connections("sse-leaver") == 0,
                         GONE_WITHIN);
    }

    private static int connections(String user) {
        return Http.get(server.http("/api/users/" + user + "/presence")).json().getInt("connections");
    }
}
