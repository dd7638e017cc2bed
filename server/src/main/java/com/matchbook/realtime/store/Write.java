package com.matchbook.realtime.store;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Message;

/**
 * One item of the disk store's write queue. Queue order is commit order; every item of one batch commits in one
 * transaction or none does.
 */
sealed interface Write {
    /** Stop the writer once what is queued before is committed. */
    Write STOP = new Stop();

    /** The future completed once the item is on disk (and its entries announced); null when nobody waits. */
    CompletableFuture<Void> done();

    /** Stream entries this item inserts, announced in this order after the commit. */
    default List<Message> entries() {
        return List.of();
    }

    /**
     * A message: the recipient's copy, then the sender's copy (absent when they are the same person), and the
     * idempotency record written with them.
     */
    record Append(List<Message> entries, KeyRecord key, CompletableFuture<Void> done) implements Write {
    }

    /** An idempotency record: (sender, key) answered {@code id}, {@code seq} until {@code expiresAt}. */
    record KeyRecord(String sender, String key, String id, long seq, String fingerprint, Instant expiresAt) {
    }

    /**
     * A message's new version (every copy of {@code id}), and the update entries telling both people.
     *
     * @param latest the author's copy in its new version (text, data, editedAt, deleted)
     */
    record Revise(Message latest, List<Message> entries, CompletableFuture<Void> done) implements Write {
    }

    /** The user's read marker of the conversation with {@code peer} moves up to {@code seq}. */
    record Read(String user, String peer, long seq, CompletableFuture<Void> done) implements Write {
    }

    /** {@code user} blocks ({@code on}) or unblocks {@code other}. */
    record Block(String user, String other, boolean on, CompletableFuture<Void> done) implements Write {
    }

    /** A confirmed cursor, written behind: nobody waits. */
    record Cursor(String user, long confirmed) implements Write {
        @Override
        public CompletableFuture<Void> done() {
            return null;
        }
    }

    /** Drop messages sent before {@code before}, and idempotency records expired at {@code now}. */
    record Trim(Instant before, Instant now) implements Write {
        @Override
        public CompletableFuture<Void> done() {
            return null;
        }
    }

    /** See {@link #STOP}. */
    record Stop() implements Write {
        @Override
        public CompletableFuture<Void> done() {
            return null;
        }
    }
}
