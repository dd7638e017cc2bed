package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.store.MessageStore;

import redis.clients.jedis.RedisClient;

/**
 * Not a test: a measurement run by hand (README "Several nodes (Redis)"), the Redis counterpart of the disk store's
 * {@code ConversationCost}. Writes {@code messages} messages between one user and {@code peers} others into an EMPTY
 * Redis (each stored twice: the recipient's copy and the sender's, with the conversation index), then reports Redis's
 * {@code used_memory} per message and the time of the conversation list (50) and of history pages (50) for that user,
 * as medians of repeated reads.
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<deps> com.matchbook.realtime.redis.RedisConversationCost
 * redis://127.0.0.1:PORT [messages] [peers]}.
 */
public final class RedisConversationCost {
    private static final int ROUNDS = 200;

    private RedisConversationCost() {
    }

    public static void main(String[] args) {
        URI uri = URI.create(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int peers = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        String text = "See you at the café at eight? I'll bring the book you wanted.";
        try (RedisClient redis = RedisClients.create(uri)) {
            if (redis.dbSize() != 0) {
                throw new IllegalStateException("Redis at " + uri + " is not empty: the memory figure would be wrong");
            }
            long before = usedMemory(redis);
            RedisStore store = new RedisStore(redis, messages * 2, Duration.ofDays(365), entry -> { });
            long writeStart = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                String peer = "peer-" + (i % peers);
                boolean outgoing = (i / peers) % 2 == 0;
                Draft d = outgoing ? new Draft("heavy", peer, "chat", text + " #" + i, null, null)
                                   : new Draft(peer, "heavy", "chat", text + " #" + i, null, null);
                store.append(d, String.format("01M8PWFXNYDPPF9RJ4S%07d", i), Instant.now(), 0, Optional.empty())
                        .join();
            }
            System.out.printf("wrote %d messages (%d stream entries) in %.1f s%n", messages, 2L * messages,
                              (System.nanoTime() - writeStart) / 1e9);
            long[] list = new long[ROUNDS];
            long[] page = new long[ROUNDS];
            long[] olderPage = new long[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long t0 = System.nanoTime();
                List<MessageStore.Conversation> conversations = store.conversations("heavy", 50);
                long t1 = System.nanoTime();
                MessageStore.Page p = store.conversation("heavy", "peer-" + (r % peers), Long.MAX_VALUE, 50);
                long t2 = System.nanoTime();
                MessageStore.Page older = store.conversation("heavy", "peer-" + (r % peers),
                                                             p.messages().getFirst().seq(), 50);
                long t3 = System.nanoTime();
                if (conversations.size() != 50 || p.messages().size() != 50 || !older.more()) {
                    throw new IllegalStateException("unexpected answer: " + conversations.size() + " "
                                                             + p.messages().size());
                }
                list[r] = t1 - t0;
                page[r] = t2 - t1;
                olderPage[r] = t3 - t2;
            }
            System.out.printf("conversation list (50 of %d): median %.3f ms, p90 %.3f ms%n", peers,
                              median(list), p90(list));
            System.out.printf("newest page (50): median %.3f ms, p90 %.3f ms%n", median(page), p90(page));
            System.out.printf("older page (50): median %.3f ms, p90 %.3f ms%n", median(olderPage), p90(olderPage));
            long bytes = usedMemory(redis) - before;
            System.out.printf("memory: %d bytes for %d messages = %.0f bytes per message (both copies and the index)%n",
                              bytes, messages, (double) bytes / messages);
        }
    }

    private static long usedMemory(RedisClient redis) {
        for (String line : redis.info("memory").split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        throw new IllegalStateException("no used_memory in INFO memory");
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static double p90(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[(int) (s.length * 0.9)] / 1e6;
    }
}
