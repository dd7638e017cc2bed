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
 * Not a test: a measurement run by hand (README "Storage", the journal store). Writes {@code messages} messages of
 * ~65 characters between {@code users} users at random into a fresh journal store, then reports the journal's bytes
 * per message, the time a restart takes to replay it, and the time a compaction of that state pauses writes.
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
        long writeStart = System.nanoTime();
        try (JournalStore store = new JournalStore(dir, messages, Duration.ofDays(365), Duration.ofDays(1), m -> { })) {
            List<CompletableFuture<MessageStore.Accepted>> pending = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                Draft draft = new Draft("u" + random.nextInt(users), "u" + random.nextInt(users), "chat",
                                        "message " + i + ": see you at the place on the corner at eight, ok?", null,
                                        null);
                pending.add(store.append(draft, "id-" + i, Instant.now(), 0, Optional.empty()));
                if (pending.size() == 5000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        }
        double writeS = (System.nanoTime() - writeStart) / 1e9;
        long bytes = size(dir);
        System.out.printf("wrote %,d messages in %.1f s (%,.0f msg/s): journal %,d bytes, %.0f bytes per message%n",
                          messages, writeS, messages / writeS, bytes, (double) bytes / messages);

        long replayStart = System.nanoTime();
        JournalStore reopened = new JournalStore(dir, messages, Duration.ofDays(365), Duration.ofDays(1), 1, m -> { });
        System.out.printf("replay: %.2f s%n", (System.nanoTime() - replayStart) / 1e9);
        long compactStart = System.nanoTime();
        // With a compaction threshold of one byte, the first batch's write compacts: this send waits for none of it,
        // the next one waits for all of it.
        reopened.append(new Draft("a", "b", "chat", "x", null, null), "after-1", Instant.now(), 0, Optional.empty())
                .join();
        reopened.append(new Draft("a", "b", "chat", "y", null, null), "after-2", Instant.now(), 0, Optional.empty())
                .join();
        System.out.printf("a send behind a compaction of the whole state waited %.2f s; journal now %,d bytes%n",
                          (System.nanoTime() - compactStart) / 1e9, size(dir));
        reopened.close();
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
