package com.matchbook.realtime.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;

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
    private static final int ROUNDS = 200;

    private ConversationCost() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("conversation-cost");
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int peers = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        // A chat line of typical length: ~60 characters.
        String text = "See you at the café at eight? I'll bring the book you wanted.";
        long writeStart = System.nanoTime();
        try (SqliteStore store = new SqliteStore(dir, messages * 2, Duration.ofDays(365), m -> { })) {
            List<CompletableFuture<MessageStore.Accepted>> pending = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                String peer = "peer-" + (i % peers);
                boolean outgoing = (i / peers) % 2 == 0;
                Draft d = outgoing ? new Draft("heavy", peer, "chat", text + " #" + i, null, null)
                                   : new Draft(peer, "heavy", "chat", text + " #" + i, null, null);
                // Ids as the server makes them (26 characters); no idempotency keys: they expire within a day.
                pending.add(store.append(d, String.format("01M8PWFXNYDPPF9RJ4S%07d", i), Instant.now(), 0,
                                         Optional.empty()));
                if (pending.size() == 5000) {
                    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
                    pending.clear();
                }
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
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
