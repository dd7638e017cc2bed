package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.store.MessageStore;

import redis.clients.jedis.RedisClient;

/**
 * Not a test: a measurement run by hand (README "No single Redis: Sentinel and replicas"). What acknowledged-means-
 * replicated costs per message: appends (with idempotency keys, as clients send) against an EMPTY primary that has one
 * replica, first with {@code replicas-to-ack} 0, then 1, alternating rounds so both see the same machine load.
 * Reports per-append latency (median, p90, p99) with one writer, and appends per second with {@code writers}
 * concurrent writers (virtual threads, as the server's handlers).
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<deps> com.matchbook.realtime.redis.RedisWaitCost
 * redis://127.0.0.1:PRIMARY [appends per round] [writers]}.
 */
public final class RedisWaitCost {
    private static final int ROUNDS = 3;

    private RedisWaitCost() {
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int appends = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        try (RedisClient redis = RedisClients.create(uri)) {
            int online = RedisReplication.onlineReplicas(redis.info("replication"));
            if (online < 1) {
                throw new IllegalStateException("the primary at " + uri + " has no replica online");
            }
            if (redis.dbSize() != 0) {
                throw new IllegalStateException("Redis at " + uri + " is not empty: this writes test data into it");
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (int n = 0; n <= 1; n++) {
                    RedisReplication replication = new RedisReplication(redis, OptionalInt.of(n), Duration.ofSeconds(1));
                    RedisStore store = new RedisStore(redis, replication, 1_000, Duration.ofDays(1),
                                                      Duration.ofHours(1), entry -> { });
                    String tag = "r" + round + "n" + n;
                    long[] one = new long[appends / 5];
                    for (int i = 0; i < one.length; i++) {
                        long t0 = System.nanoTime();
                        append(store, tag + "-seq", i);
                        one[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(one);
                    long start = System.nanoTime();
                    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                        List<Future<?>> done = new ArrayList<>();
                        for (int w = 0; w < writers; w++) {
                            String sender = tag + "-w" + w;
                            int share = appends / writers;
                            done.add(pool.submit(() -> {
                                for (int i = 0; i < share; i++) {
                                    append(store, sender, i);
                                }
                            }));
                        }
                        for (Future<?> f : done) {
                            f.get();
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("round %d replicas-to-ack %d: one writer median %.3f ms p90 %.3f ms p99 %.3f ms;"
                                      + " %d writers %.0f appends/s%n", round, n, ms(one, 0.5), ms(one, 0.9),
                                      ms(one, 0.99), writers, (appends / writers) * writers / seconds);
                }
            }
        }
    }

    private static void append(RedisStore store, String from, int i) {
        Draft d = new Draft(from, "wait-peer-" + (i % 50), "chat", "See you at eight? #" + i, null, null);
        store.append(d, from + "-" + i, Instant.now(), 0,
                     Optional.of(new MessageStore.SendKey(from + "-k" + i, d.fingerprint()))).join();
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] / 1e6;
    }
}
