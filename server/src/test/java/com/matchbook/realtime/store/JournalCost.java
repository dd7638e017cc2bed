package com.matchbook.realtime.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.matchbook.realtime.message.Draft;

/**
 * Not a test: a measurement run by hand (docs/performance.md, "The journal store"). Writes {@code messages} messages of
 * ~65 characters between {@code users} users at random into a fresh journal store (up to 5,000 in flight), then
 * reports the files' bytes per message, the longest time a send waited for its answer (a snapshot being taken must
 * not stop the sends: the store's log says when each one ran), and the time a restart takes to replay the files.
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<deps> com.matchbook.realtime.store.JournalCost [dir] [messages]
 * [users]}.
 */
public final class JournalCost {
    private JournalCost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("journal-cost");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int users = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        java.util.Random random = new java.util.Random(1);
        long[] waits = new long[messages];
        long writeStart = System.nanoTime();
        try (JournalStore store = new JournalStore(dir, messages, Duration.ofDays(365), Duration.ofDays(1), m -> { })) {
            List<CompletableFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                Draft draft = new Draft("u" + random.nextInt(users), "u" + random.nextInt(users), "chat",
                                        "message " + i + ": see you at the place on the corner at eight, ok?", null,
                                        null);
                int n = i;
                long sent = System.nanoTime();
                pending.add(store.append(draft, "id-" + i, Instant.now(), 0, Optional.empty())
                                    .thenRun(() -> waits[n] = System.nanoTime() - sent));
                if (pending.size() == 5000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
        double writeS = (System.nanoTime() - writeStart) / 1e9;
        long bytes = size(dir);
        java.util.Arrays.sort(waits);
        System.out.printf("wrote %,d messages in %.1f s (%,.0f msg/s): files %,d bytes, %.0f bytes per message%n",
                          messages, writeS, messages / writeS, bytes, (double) bytes / messages);
        System.out.printf("wait for an answer (5,000 in flight): p50 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                          waits[messages / 2] / 1e6, waits[(int) (messages * 0.999)] / 1e6,
                          waits[messages - 1] / 1e6);

        long replayStart = System.nanoTime();
        new JournalStore(dir, messages, Duration.ofDays(365), Duration.ofDays(1), m -> { }).close();
        System.out.printf("replay of the snapshot and the journal since: %.2f s%n",
                          (System.nanoTime() - replayStart) / 1e9);
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
