package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.matchbook.realtime.store.ConversationWorkload;

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
    private RedisConversationCost() {
    }

    public static void main(String[] args) {
        URI uri = URI.create(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int peers = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        try (RedisClient redis = RedisClients.create(uri)) {
            if (redis.dbSize() != 0) {
                throw new IllegalStateException("Redis at " + uri + " is not empty: the memory figure would be wrong");
            }
            long before = usedMemory(redis);
            RedisStore store = new RedisStore(redis, messages * 2, Duration.ofDays(365), entry -> { });
            long writeStart = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                store.append(ConversationWorkload.draft(i, peers), ConversationWorkload.id(i), Instant.now(), 0,
                             Optional.empty()).join();
            }
            System.out.printf("wrote %d messages (%d stream entries) in %.1f s%n", messages, 2L * messages,
                              (System.nanoTime() - writeStart) / 1e9);
            ConversationWorkload.timeReads(store, peers);
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
}
