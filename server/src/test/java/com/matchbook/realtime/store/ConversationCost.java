package com.matchbook.realtime.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: a measurement run by hand (README "Conversations", the disk store's cost). Writes {@code messages}
 * messages between one user and {@code peers} others into a fresh disk store (each message stored twice: the
 * recipient's copy and the sender's), then reports the file size per message and the time of the conversation list
 * (50) and of one history page (50) for that user, as medians of repeated reads.
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<deps> com.matchbook.realtime.store.ConversationCost [dir]
 * [messages] [peers]}.
 */
public final class ConversationCost {
    private ConversationCost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("conversation-cost");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int peers = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        long writeStart = System.nanoTime();
        try (SqliteStore store = new SqliteStore(dir, messages * 2, Duration.ofDays(365), m -> { })) {
            List<CompletableFuture<MessageStore.Accepted>> pending = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                // No idempotency keys: they expire within a day.
                pending.add(store.append(ConversationWorkload.draft(i, peers), ConversationWorkload.id(i),
                                         Instant.now(), 0, Optional.empty()));
                if (pending.size() == 5000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            System.out.printf("wrote %d messages (%d stream entries) in %.1f s%n", messages, 2L * messages,
                              (System.nanoTime() - writeStart) / 1e9);
            ConversationWorkload.timeReads(store, peers);
        }
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                bytes += Files.size(f);
            }
        }
        System.out.printf("disk: %d bytes for %d messages = %.0f bytes per message (both copies and the indexes)%n",
                          bytes, messages, (double) bytes / messages);
    }
}
