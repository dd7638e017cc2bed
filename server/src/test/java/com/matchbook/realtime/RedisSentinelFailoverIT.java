package com.matchbook.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.matchbook.realtime.redis.RedisReplication;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RedisSentinel;
import com.matchbook.realtime.support.RedisServer;
import com.matchbook.realtime.support.ServerProcess;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis through Sentinel (issue 16): one primary, one replica, three Sentinels, two Matchbook nodes, traffic on both.
 * The primary is killed with SIGKILL; the Sentinels promote the replica; both nodes follow by themselves, writes
 * refused during the switch (503) are retried with their idempotency keys, and every acknowledged message reaches
 * its recipient once, with gap-free seq. Prints how long writes saw 503 (the README's failover figure).
 */
class RedisSentinelFailoverIT {
    private static final String MASTER = "matchbook";

    @TempDir
    Path data;

    @Test
    @Timeout(180)
    void nothingAcknowledgedIsLostWhenThePrimaryIsKilledAndSentinelPromotesTheReplica() throws Exception {
        try (RedisServer primary = new RedisServer().start();
             RedisServer replica = new RedisServer().replicaOf(primary).start();
             RedisSentinel s1 = new RedisSentinel(MASTER, primary.port()).start();
             RedisSentinel s2 = new RedisSentinel(MASTER, primary.port()).start();
             RedisSentinel s3 = new RedisSentinel(MASTER, primary.port()).start()) {
            List<RedisSentinel> sentinels = List.of(s1, s2, s3);
            // Sentinels find each other and the replica through the primary (hello messages every 2 s).
            Eventually.holds("every sentinel sees the two others and the replica",
                             () -> sentinels.stream().allMatch(s -> s.sees(2, 1)), Duration.ofSeconds(60));
            // Acknowledged means replicated only once the replica is online: until then (its first sync, which Redis
            // delays 5 s for a diskless transfer) a node acknowledges writes unreplicated, and a kill would lose them.
            Eventually.holds("the replica is online",
                             () -> RedisReplication.onlineReplicas(primary.replicationInfo()) == 1,
                             Duration.ofSeconds(60));
            Map<String, String> settings = Map.of(
                    "matchbook.broker", "redis",
                    "matchbook.redis.sentinels", String.join(",", sentinels.stream().map(RedisSentinel::address)
                            .toList()),
                    "matchbook.redis.master-name", MASTER,
                    "matchbook.limits.sends-per-second", "100000");
            try (ServerProcess nodeA = new ServerProcess(data.resolve("a"), settings).start();
                 ServerProcess nodeB = new ServerProcess(data.resolve("b"), settings).start();
                 TestSocket onA = TestSocket.welcomed(nodeA.ws("?id=fo-ana"));
                 TestSocket onB = TestSocket.welcomed(nodeB.ws("?id=fo-ben"))) {
                for (ServerProcess node : List.of(nodeA, nodeB)) {
                    Eventually.holds("node " + node.port() + " acknowledges a write only once the replica has it",
                                     () -> logged(node, "event=redis-replicas-to-ack value=1"));
                }
                AtomicBoolean sending = new AtomicBoolean(true);
                Sender toAna = new Sender("fo-sender-1", "fo-ana", nodeB, nodeA, sending);
                Sender toBen = new Sender("fo-sender-2", "fo-ben", nodeA, nodeB, sending);
                Eventually.holds("traffic flowing", () -> toAna.ackedCount() >= 30 && toBen.ackedCount() >= 30);

                long killedAt = System.nanoTime();
                toAna.killedAt.set(killedAt);
                toBen.killedAt.set(killedAt);
                primary.kill();
                Eventually.holds("the sentinels promote the replica",
                                 () -> sentinels.stream().allMatch(s -> s.primaryPort() == replica.port()),
                                 Duration.ofSeconds(60));
                int anaBefore = toAna.acked.size();
                int benBefore = toBen.acked.size();
                Eventually.holds("writes accepted again on both nodes, for both recipients",
                                 () -> toAna.ackedCount() >= anaBefore + 30 && toBen.ackedCount() >= benBefore + 30,
                                 Duration.ofSeconds(60));
                sending.set(false);
                toAna.thread.join();
                toBen.thread.join();
                toAna.ackedCount();
                toBen.ackedCount();

                assertTrue(toAna.refused.get() + toBen.refused.get() > 0, "writes during the switch were refused");
                toAna.receivedExactlyOnce(onA, List.of(nodeA, nodeB));
                toBen.receivedExactlyOnce(onB, List.of(nodeA, nodeB));
                for (ServerProcess node : List.of(nodeA, nodeB)) {
                    assertTrue(node.process().isAlive(), "the node carried on without a restart");
                    assertEquals(200, Http.get(node.http("/health")).status());
                }
                long worstMs = Math.max(toAna.unavailableMs(), toBen.unavailableMs());
                String figure = "sentinel failover: writes saw 503 for " + worstMs + " ms (from the kill of the "
                                + "primary to the first 202 after it; down-after-milliseconds 1000), "
                                + (toAna.refused.get() + toBen.refused.get()) + " refused attempts, all retried";
                System.out.println(figure);
                Files.writeString(Path.of("target", "redis-sentinel-failover.txt"), figure + "\n");
            }
        }
    }

    private static boolean logged(ServerProcess node, String text) {
        try {
            return node.log().contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends one message at a time with an idempotency key, alternating two nodes, and on 503 sends it again with the
     * same key after a short pause, as the clients do (docs/protocol.md "Idempotent sends (1.1)").
     */
    private static final class Sender {
        final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger refused = new AtomicInteger();
        final AtomicLong killedAt = new AtomicLong();
        final AtomicLong firstAcceptedAfterKill = new AtomicLong();
        final Thread thread;
        private volatile Throwable failure;
        private final String from;
        private final String to;

        Sender(String from, String to, ServerProcess one, ServerProcess other, AtomicBoolean sending) {
            this.from = from;
            this.to = to;
            this.thread = Thread.ofPlatform().start(() -> {
                try {
                    send(one, other, sending);
                } catch (Throwable e) {
                    failure = e;
                }
            });
        }

        /** The number of messages acknowledged so far; fails the test if the sender met an unexpected answer. */
        int ackedCount() {
            if (failure != null) {
                throw new AssertionError(from + " stopped", failure);
            }
            return acked.size();
        }

        private void send(ServerProcess one, ServerProcess other, AtomicBoolean sending) {
            int i = 0;
            int attempt = 0;
            boolean unacked = false;
            boolean refusedAfterKill = false;
            while (sending.get() || unacked) {
                ServerProcess node = attempt++ % 2 == 0 ? one : other;
                Http.Reply r = Http.sendWithKey(node, from, to, "n" + i, from + "-" + i);
                if (r.status() == 202) {
                    acked.add(r.json().getString("id"));
                    if (refusedAfterKill) {
                        firstAcceptedAfterKill.compareAndSet(0, System.nanoTime());
                    }
                    i++;
                    unacked = false;
                } else {
                    assertEquals(503, r.status(), r.body());
                    assertEquals("unavailable", r.json().getString("error"));
                    refused.incrementAndGet();
                    refusedAfterKill |= killedAt.get() != 0;
                    unacked = true;
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());   // a client's retry backoff
                }
            }
        }

        /** From the kill to the first write accepted after a refusal (0 if this sender saw none). */
        long unavailableMs() {
            long back = firstAcceptedAfterKill.get();
            return back == 0 ? 0 : Duration.ofNanos(back - killedAt.get()).toMillis();
        }

        /**
         * The recipient's live socket got every acknowledged message once, in order, seq without a gap. A message that
         * does not come is reported with how far the socket got and the nodes' logged events, to tell a lost
         * publication from a connection left waiting.
         */
        void receivedExactlyOnce(TestSocket live, List<ServerProcess> nodes) throws IOException {
            List<String> seen = new ArrayList<>();
            long lastSeq = 0;
            while (seen.size() < acked.size()) {
                JsonObject m;
                try {
                    m = live.next("message");
                } catch (AssertionError e) {
                    StringBuilder events = new StringBuilder();
                    for (ServerProcess node : nodes) {
                        node.log().lines().filter(l -> l.contains("event=") || l.contains("WARN")
                                                       || l.contains("SEVERE") || l.contains("Exception"))
                                .forEach(l -> events.append(node.port()).append(": ").append(l).append('\n'));
                    }
                    throw new AssertionError(to + ": received " + seen.size() + " of " + acked.size()
                                             + " acknowledged messages (last seq " + lastSeq + "); the first missing "
                                             + "is " + acked.get(seen.size()) + "; the nodes' events:\n" + events, e);
                }
                assertEquals(lastSeq + 1, m.getJsonNumber("seq").longValue(), to + ": in order, no gap");
                lastSeq = m.getJsonNumber("seq").longValue();
                seen.add(m.getString("id"));
            }
            assertEquals(acked, seen, to + ": every accepted message once, nothing else, in sending order");
            assertEquals(acked.size(), new HashSet<>(acked).size(), "no two answers share an id");
        }
    }
}
