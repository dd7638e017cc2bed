package com.matchbook.realtime;

import java.time.Duration;
import java.util.Map;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that stops reading is cut off; everyone else carries on as if nothing happened. */
class SlowConsumerTest {

    @Test
    void aConsumerThatStopsReadingIsCutWhileOthersKeepFlowing() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.outbox-limit", "50",
                                                               "matchbook.heartbeat-timeout", "PT2S"));
             RawSocket stuck = new RawSocket(server.port(), "?id=stuck");
             TestSocket healthy = TestSocket.welcomed(server.ws("?id=healthy"))) {
            assertTrue(stuck.read().text().contains("\"welcome\""));
            // From here on the stuck client reads nothing: its TCP window fills, then its outbox.
            String big = "x".repeat(60_000);
            long worstHealthyMs = 0;
            for (int i = 0; i < 400 && server.app().hub().connectionsOf("stuck") > 0; i++) {
                assertEquals(202, Http.postJson(server.http("/send-message"),
                                                "{\"to\":\"stuck\",\"text\":\"" + big + "\"}").status());
                if (i % 10 == 0) {
                    long sent = System.nanoTime();
                    Http.postJson(server.http("/send-message"), "{\"to\":\"healthy\",\"text\":\"tick " + i + "\"}");
                    JsonObject m = healthy.next("message");
                    assertEquals("tick " + i, m.getString("text"));
                    worstHealthyMs = Math.max(worstHealthyMs, (System.nanoTime() - sent) / 1_000_000);
                }
            }
            assertEquals(0, server.app().hub().connectionsOf("stuck"), "cut off and unregistered");
            assertTrue(server.app().stats().slowConsumers() >= 1);
            // Waiting behind the stuck peer would take its whole write timeout (10 s); a loaded machine alone can
            // delay one tick past a second, so the bound is half the write timeout, not a speed measurement.
            assertTrue(worstHealthyMs < Timings.WRITE_TIMEOUT.dividedBy(2).toMillis(),
                       "the healthy user waited " + worstHealthyMs + " ms at worst");
            assertTrue(stuck.awaitEof(), "the socket is dropped even though the close frame cannot be written");
            Eventually.holds("no writer left blocked", () -> server.app().hub().activeWriters() == 0,
                             Duration.ofSeconds(15));
            JsonObject history = Http.get(server.http("/api/users/stuck/messages?limit=1")).json();
            assertTrue(history.getInt("lastSeq") >= 50, "what it missed is in history for its next connect");
        }
    }
}
