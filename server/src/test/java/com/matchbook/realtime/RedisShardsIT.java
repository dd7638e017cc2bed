package com.matchbook.realtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RedisClusterServer;
import com.matchbook.realtime.support.ServerProcess;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis Cluster ({@code matchbook.redis.cluster}): three primaries, two Matchbook nodes, one conversation per shard
 * (both people's keys on that shard). One shard's primary is killed: only its conversation is refused (503, retried
 * by the client with the same idempotency key), the others go on; it comes back and everything resumes, with every
 * acknowledged message delivered once, in order, gap-free, in both people's streams.
 */
class RedisShardsIT {
    private static final int DOWN = 2;
    /** Generous: seven builds share this machine's two cores. */
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path data;

    @Test
    void onlyTheUsersOfAShardThatIsDownAreRefusedAndEverythingResumes() throws Exception {
        try (RedisClusterServer redis = new RedisClusterServer().start()) {
            Map<String, String> settings = Map.of("matchbook.broker", "redis", "matchbook.redis.cluster", redis.seeds(),
                                                  "matchbook.limits.sends-per-second", "100000");
            try (ServerProcess nodeA = new ServerProcess(data.resolve("a"), settings).start();
                 ServerProcess nodeB = new ServerProcess(data.resolve("b"), settings).start()) {
                List<Chat> chats = new ArrayList<>();
                for (int shard = 0; shard < RedisClusterServer.SHARDS; shard++) {
                    chats.add(new Chat(redis.userOn(shard, "from" + shard + "-"),
                                       redis.userOn(shard, "to" + shard + "-"), nodeA, nodeB));
                }
                try {
                    chats.forEach(Chat::start);
                    for (Chat c : chats) {
                        Eventually.holds("traffic flowing on " + c.to, () -> c.acked.size() >= 20, WAIT);
                    }
                    redis.kill(DOWN);
                    Chat down = chats.get(DOWN);
                    // A send to a down shard is refused once the client's retries (about 2 s) are spent.
                    Eventually.holds("the down shard's sends are refused", () -> down.refused.get() >= 3, WAIT);
                    for (Chat c : chats.subList(0, DOWN)) {
                        int before = c.acked.size();
                        Eventually.holds("sends on a live shard go on: " + c.to, () -> c.acked.size() >= before + 20,
                                         WAIT);
                    }
                    assertTrue(down.refused.get() >= 3, "still refused while down");
                    redis.start(DOWN);
                    int before = down.acked.size();
                    Eventually.holds("the shard is back: its sends are accepted again",
                                     () -> down.acked.size() >= before + 20, WAIT);
                } finally {
                    chats.forEach(Chat::stop);
                }
                for (Chat c : chats.subList(0, DOWN)) {
                    assertEquals(0, c.refused.get(), "no refusal for " + c.to + ", whose shard never went down");
                }
                for (Chat c : chats) {
                    c.check(nodeB);
                }
            }
        }
    }

    /** One conversation: a recipient with a socket on node A, a sender posting to either node, retrying on 503. */
    private static final class Chat {
        final String from;
        final String to;
        final List<String> acked = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger refused = new AtomicInteger();
        private final AtomicBoolean sending = new AtomicBoolean(true);
        private final TestSocket live;
        private final ServerProcess nodeA;
        private final ServerProcess nodeB;
        private Thread sender;

        Chat(String from, String to, ServerProcess nodeA, ServerProcess nodeB) {
            this.from = from;
            this.to = to;
            this.nodeA = nodeA;
            this.nodeB = nodeB;
            this.live = TestSocket.welcomed(nodeA.ws("?id=" + to));
        }

        void start() {
            // As the clients do (docs/protocol.md "Idempotent sends (1.1)"): a refused send goes again with its key.
            sender = Thread.ofPlatform().start(() -> {
                int i = 0;
                int attempt = 0;
                boolean unacked = false;
                while (sending.get() || unacked) {
                    ServerProcess node = attempt++ % 2 == 0 ? nodeB : nodeA;
                    Http.Reply r = Http.sendWithKey(node, from, to, "n" + i, from + "-" + i);
                    if (r.status() == 202) {
                        acked.add(r.json().getString("id"));
                        i++;
                        unacked = false;
                    } else {
                        assertEquals(503, r.status(), r.body());
                        refused.incrementAndGet();
                        unacked = true;
                    }
                }
            });
        }

        void stop() {
            sending.set(false);
            try {
                if (sender != null) {
                    sender.join(30_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Every acked message reached the live socket once, in order, gap-free; both streams hold each once. */
        void check(ServerProcess other) {
            assertFalse(live.isClosed(), to + "'s socket stayed open");
            List<String> seen = new ArrayList<>();
            long lastSeq = 0;
            while (seen.size() < acked.size()) {
                JsonObject m = live.next("message");
                assertEquals(lastSeq + 1, m.getJsonNumber("seq").longValue(), "in order, no gap for " + to);
                lastSeq = m.getJsonNumber("seq").longValue();
                seen.add(m.getString("id"));
            }
            assertEquals(acked, seen, "every accepted message once, nothing else, in sending order, for " + to);
            for (String user : List.of(to, from)) {
                List<String> ids = new ArrayList<>();
                long since = 0;
                while (true) {
                    List<JsonObject> page = Http.get(other.http("/api/users/" + user + "/messages?limit=1000&since="
                                                                + since)).json()
                            .getJsonArray("messages").getValuesAs(JsonObject.class);
                    page.forEach(m -> ids.add(m.getString("id")));
                    if (page.isEmpty()) {
                        break;
                    }
                    since = page.getLast().getJsonNumber("seq").longValue();
                }
                assertEquals(acked, ids, user + "'s stream holds each acknowledged message once");
            }
            live.close();
        }
    }
}
