package com.matchbook.realtime.store;

import java.util.Arrays;
import java.util.List;

import com.matchbook.realtime.message.Draft;

/**
 * What the hand-run cost measurements of both stores share ({@link ConversationCost} for the disk store,
 * {@code redis.RedisConversationCost} for Redis): the same messages between one heavy user and its peers, and the same
 * timed reads of the conversation list and history pages, so the two stores' figures compare.
 */
public final class ConversationWorkload {
    /** The heavy user whose conversations are read. */
    public static final String USER = "heavy";
    private static final int ROUNDS = 200;
    private static final int PAGE = 50;
    /** A chat line of typical length: ~60 characters. */
    private static final String TEXT = "See you at the café at eight? I'll bring the book you wanted.";

    private ConversationWorkload() {
    }

    /** Message {@code i}: with peer {@code i % peers}, in runs of {@code peers} alternately sent and received. */
    public static Draft draft(int i, int peers) {
        String peer = "peer-" + (i % peers);
        boolean outgoing = (i / peers) % 2 == 0;
        return outgoing ? new Draft(USER, peer, "chat", TEXT + " #" + i, null, null)
                        : new Draft(peer, USER, "chat", TEXT + " #" + i, null, null);
    }

    /** An id as the server makes them (26 characters). */
    public static String id(int i) {
        return String.format("01M8PWFXNYDPPF9RJ4S%07d", i);
    }

    /**
     * Times the conversation list, the newest page of one conversation and the page before it, {@value #ROUNDS}
     * times each, and prints their medians and 90th percentiles.
     *
     * @throws IllegalStateException if the store answers with fewer than a full list or page
     */
    public static void timeReads(MessageStore store, int peers) {
        long[] list = new long[ROUNDS];
        long[] page = new long[ROUNDS];
        long[] olderPage = new long[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            List<MessageStore.Conversation> conversations = store.conversations(USER, PAGE);
            long t1 = System.nanoTime();
            MessageStore.Page p = store.conversation(USER, "peer-" + (r % peers), Long.MAX_VALUE, PAGE);
            long t2 = System.nanoTime();
            MessageStore.Page older = store.conversation(USER, "peer-" + (r % peers),
                                                         p.messages().getFirst().seq(), PAGE);
            long t3 = System.nanoTime();
            if (conversations.size() != PAGE || p.messages().size() != PAGE || !older.more()) {
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
