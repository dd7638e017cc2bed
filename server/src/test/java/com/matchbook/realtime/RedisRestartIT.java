package com.matchbook.realtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RedisServer;
import com.matchbook.realtime.support.ServerProcess;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis dies and comes back during traffic: nodes keep their sockets, refuse what they cannot store, lose nothing, and
 * resends with the same idempotency key store nothing twice.
 */
class RedisRestartIT {
    @TempDir
    Path data;

    @Test
    void nothingAcknowledgedIsLostWhenRedisIsKilledAndRestarted() throws Exception {
        try (RedisServer redis = new RedisServer().start()) {
            Map<String, String> cluster = Map.of("matchbook.broker", "redis", "matchbook.redis.uri", redis.uri(),
                                                 "matchbook.limits.sends-per-second", "100000");
            try (ServerProcess nodeA = new ServerProcess(data.resolve("a"), cluster).start();
                 ServerProcess nodeB = new ServerProcess(data.resolve("b"), cluster).start();
                 TestSocket live = TestSocket.welcomed(nodeA.ws("?id=steady"))) {
                List<String> acked = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger refused = new AtomicInteger();
                AtomicBoolean sending = new AtomicBoolean(true);
                Thread sender = Thread.ofPlatform().start(() -> {
                    // As the clients do (docs/protocol.md "Idempotent sends (1.1)"): every send has a key, and a
                    // refused one is sent again with the same key until it is accepted, alternating nodes.
                    int i = 0;
                    int attempt = 0;
                    boolean unacked = false;
                    while (sending.get() || unacked) {
                        ServerProcess node = attempt++ % 2 == 0 ? nodeA : nodeB;
                        Http.Reply r = Http.sendWithKey(node, "restart-sender", "steady", "n" + i, "restart-" + i);
                        if (r.status() == 202) {
                            acked.add(r.json().getString("id"));
                            i++;
                            unacked = false;
                        } else {
                            assertEquals(503, r.status(), r.body());
                            assertEquals("unavailable", r.json().getString("error"));
                            refused.incrementAndGet();
                            unacked = true;
                        }
                    }
                });
                Eventually.holds("traffic flowing", () -> acked.size() >= 50);
                redis.kill();
                Eventually.holds("writes refused while Redis is down", () -> refused.get() >= 3);
                assertFalse(live.isClosed(), "nodes keep their sockets while Redis is down");
                Http.Reply presence = Http.get(nodeB.http("/api/users/steady/presence"));
                assertEquals(503, presence.status(), "presence lives in Redis: unavailable, not a 500");
                assertEquals(200, Http.get(nodeB.http("/api/stats")).status(), "the node still answers for itself");
                redis.start();
                int before = acked.size();
                Eventually.holds("writes accepted again", () -> acked.size() >= before + 50);
                sending.set(false);
                sender.join();

                // A write cut off by the kill may have been stored without its 202 reaching the sender, who saw a
                // 503 and sent it again with the same key: the repeat got the first answer, so every message is
                // stored and delivered exactly once, in sending order.
                List<String> seen = new ArrayList<>();
                long lastSeq = 0;
                while (seen.size() < acked.size()) {
                    JsonObject m = live.next("message");
                    assertEquals(lastSeq + 1, m.getJsonNumber("seq").longValue(), "in order, no gap");
                    lastSeq = m.getJsonNumber("seq").longValue();
                    seen.add(m.getString("id"));
                }
                assertEquals(acked, seen, "every accepted message once, nothing else, in sending order");
                assertEquals(acked.size(), new java.util.HashSet<>(acked).size(), "no two answers share an id");
                try (TestSocket fresh = TestSocket.welcomed(nodeB.ws("?id=steady&since=0"))) {
                    List<String> history = new ArrayList<>();
                    while (history.size() < seen.size()) {
                        history.add(fresh.next("message").getString("id"));
                    }
                    assertEquals(seen, history, "history kept every message the live socket got");
                }
                assertTrue(refused.get() > 0);
            }
        }
    }
}
