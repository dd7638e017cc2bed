package com.matchbook.realtime.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;

/**
 * Not a test: a measurement run by hand (docs/performance.md, "The tiered store"). Writes {@code messages} messages of
 * ~65 characters between {@code users} users at random into a fresh tiered store (up to 5,000 in flight), then moves
 * them all to its SQLite archive and reports what the move cost (wall time and process CPU per entry: two per message),
 * then the time of a 50-entry replay and of the newest conversation page read from the archive against the same reads
 * from memory (a second store, nothing moved).
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<deps> com.matchbook.realtime.store.TieredCost [dir] [messages]
 * [users]}.
 */
public final class TieredCost {
    private TieredCost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("tiered-cost");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        Duration year = Duration.ofDays(365);
        try (TieredStore moved = new TieredStore(dir.resolve("moved"), messages, year, Duration.ofDays(1),
                                                 Duration.ofDays(1), 1L << 40, m -> { });
             TieredStore kept = new TieredStore(dir.resolve("kept"), messages, year, Duration.ofDays(1),
                                                Duration.ofDays(1), 1L << 40, m -> { })) {
            fill(moved, messages, users);
            fill(kept, messages, users);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu = os.getProcessCpuTime();
            long wall = System.nanoTime();
            moved.moveNow(Instant.MAX);
            double wallS = (System.nanoTime() - wall) / 1e9;
            double cpuUs = (os.getProcessCpuTime() - cpu) / 1e3 / (2.0 * messages);
            System.out.printf("moved %,d entries in %.1f s (%,.0f entries/s), %.1f us of CPU per entry%n",
                              2L * messages, wallS, 2 * messages / wallS, cpuUs);
            for (TieredStore store : List.of(moved, kept)) {
                String name = store == moved ? "archive" : "memory";
                System.out.printf("%s: replay of 50 p50 %.3f ms; newest conversation page of 20 p50 %.3f ms%n", name,
                                  median(users, u -> store.since("u" + u, 10, 50)),
                                  median(users, u -> store.conversation("u" + u, "u" + ((u + 1) % users),
                                                                         Long.MAX_VALUE, 20)));
            }
        }
    }

    private static void fill(TieredStore store, int messages, int users) {
        Random random = new Random(1);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            int from = random.nextInt(users);
            // Each user writes mostly to its next neighbour, so conversation pages have something to show.
            int to = random.nextInt(4) == 0 ? random.nextInt(users) : (from + 1) % users;
            Draft draft = new Draft("u" + from, "u" + to, "chat",
                                    "message " + i + ": see you at the place on the corner at eight, ok?", null, null);
            pending.add(store.append(draft, "id-" + i, Instant.now(), 0, Optional.empty()));
            if (pending.size() == 5000) {
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                pending.clear();
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    /** The median time in ms of {@code read} over every user, after one pass to warm up. */
    private static double median(int users, java.util.function.IntConsumer read) {
        for (int u = 0; u < users; u++) {
            read.accept(u);
        }
        long[] times = new long[users];
        for (int u = 0; u < users; u++) {
            long t = System.nanoTime();
            read.accept(u);
            times[u] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        return times[users / 2] / 1e6;
    }
}
