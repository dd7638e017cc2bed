package com.matchbook.realtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

/**
 * Per-recipient message history: the one place that numbers messages. Implementations: memory (tests, benchmarks),
 * the embedded disk store (default), Redis (several nodes).
 *
 * <p>Ordering promise: for one recipient, {@link StoredListener#stored} is called in seq order, once the message is
 * durable, and before the future of {@link #append} completes. Delivery hangs off that callback, so live frames leave
 * in seq order without any lock of the caller's.
 */
public interface MessageStore extends AutoCloseable {

    /** Told about every message once it is durable, in seq order per recipient. Must not block. */
    @FunctionalInterface
    interface StoredListener {
        void stored(Message message);
    }

    /**
     * A slice of one user's history.
     *
     * @param messages     oldest first
     * @param lastSeq      highest seq ever given to this user (0 if none)
     * @param firstSeq     lowest seq still retained (lastSeq + 1 when nothing is retained)
     */
    record Slice(List<Message> messages, long lastSeq, long firstSeq) {
        /** Whether history still holds every message after {@code afterSeq}. */
        public boolean completeAfter(long afterSeq) {
            return afterSeq >= lastSeq || firstSeq <= afterSeq + 1;
        }
    }

    /** Numbers the draft with its recipient's next seq and stores it; completes once it is durable. */
    CompletableFuture<Message> append(Draft draft, String id, Instant sentAt, long acceptedNanos);

    /** Up to {@code limit} retained messages with seq greater than {@code afterSeq}, oldest first. */
    Slice since(String user, long afterSeq, int limit);

    /** The retained message with this id in the user's history. */
    Optional<Message> find(String user, String messageId);

    /** Highest seq the user has confirmed with {@code received} (0 if none). */
    long confirmed(String user);

    /**
     * Raises the user's confirmed seq to {@code seq} (never lowers it, never past lastSeq).
     *
     * @return the previous confirmed seq, or empty if nothing changed
     */
    Optional<Long> confirm(String user, long seq);

    /** Drops messages past the retention limits. Runs in the background. */
    void trim(Instant now);

    /** Whether the store can take writes now (for readiness). */
    boolean healthy();

    @Override
    void close();
}
