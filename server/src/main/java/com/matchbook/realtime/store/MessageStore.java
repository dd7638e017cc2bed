package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * Per-user streams: the one place that numbers messages. Implementations: memory (tests, benchmarks), the journal,
 * the tiered store (the default: the journal for recent history, SQLite for the rest), SQLite alone, Redis (several
 * nodes). Every rule below is checked for each of them by
 * {@code MessageStoreContract}.
 *
 * <p>A user's stream holds, numbered 1, 2, 3... for good (docs/protocol.md "Frames", sequence numbers):
 * <ul>
 *   <li>every message sent to the user, and (docs/protocol.md "Conversations (1.1)") a copy, with the same id, of every
 *       message the user sent: one {@link #append} writes both, in one atomic step;</li>
 *   <li>one update entry ({@link Message#update()} present) per edit or delete of a message of the user's
 *       conversations (docs/protocol.md "Edit and delete (1.1)").</li>
 * </ul>
 * Every read ({@link #since}, {@link #find}, {@link #conversations}, {@link #conversation}) gives each message in its
 * latest version: edited ({@code editedAt} set) or deleted (no text, data or attachment: the content is gone from
 * storage, not only from answers).
 *
 * <p>Ordering promise: for one user's stream, {@link StoredListener#stored} is called in seq order, once the entry is
 * durable, and before the future that wrote it completes. Delivery hangs off that callback, so live frames leave in
 * seq order without any lock of the caller's. The Redis store announces on every node holding the user, whichever node
 * wrote the entry, after its subscription received it (so possibly after the future completes; see its class comment).
 *
 * <p>Errors: a store that cannot read or write throws (or fails the future with) {@link StoreUnavailableException};
 * refusals the contract names fail the future with a {@link StoreRefusal}.
 */
public interface MessageStore extends AutoCloseable {

    /** Told about every stream entry once it is durable, in seq order per user ({@link Message#user()}). */
    @FunctionalInterface
    interface StoredListener {
        /** Must not block. Called for the recipient's copy, the sender's copy and each update entry. */
        void stored(Message entry);
    }

    /**
     * A slice of one user's stream.
     *
     * @param messages     entries (messages and updates), oldest first, messages in their latest version
     * @param lastSeq      highest seq ever given to this user (0 if none)
     * @param firstSeq     lowest seq still retained (lastSeq + 1 when nothing is retained)
     */
    record Slice(List<Message> messages, long lastSeq, long firstSeq) {
        /** Whether history still holds every entry after {@code afterSeq}. */
        public boolean completeAfter(long afterSeq) {
            return afterSeq >= lastSeq || firstSeq <= afterSeq + 1;
        }
    }

    /**
     * An idempotency key of a send (docs/protocol.md "Idempotent sends (1.1)"), with what identifies the content sent
     * under it.
     *
     * @param key         the client's key: 1 to 64 of {@code A-Z a-z 0-9 . _ : -} (checked by the caller)
     * @param fingerprint a digest of the draft's recipient, channel, text, data and attachment
     *                    ({@link Draft#fingerprint()}): a repeat with another fingerprint is refused
     */
    record SendKey(String key, String fingerprint) {
        /**
         * What a send with this key is answered, given the record of an earlier one under it: the first answer
         * while the record lives at {@code at}, empty once it has expired (or when there is none).
         *
         * @throws StoreRefusal {@code idempotency_key_reused} when the record was written for other content
         */
        Optional<Accepted> repeatOf(String id, long seq, String recordedFingerprint, Instant expiresAt, Instant at) {
            if (!expiresAt.isAfter(at)) {
                return Optional.empty();
            }
            if (!recordedFingerprint.equals(fingerprint)) {
                throw StoreRefusal.keyReused(key);
            }
            return Optional.of(new Accepted(id, seq, true));
        }
    }

    /**
     * The answer to an append.
     *
     * @param id     the message id (the first send's, for a repeat)
     * @param seq    the seq of the recipient's copy, which the {@code ack} and the 202 carry
     * @param repeat true when the (sender, key) was already stored: nothing was written or announced this time
     */
    record Accepted(String id, long seq, boolean repeat) {
    }

    /**
     * One conversation of a user (docs/protocol.md "Conversations (1.1)").
     *
     * @param with   the other person (the user themself for notes to self)
     * @param last   the newest message of the conversation in the user's stream, latest version, user's seq
     * @param unread messages from {@code with} after the user's read marker in this conversation (always 0 for notes
     *               to self)
     */
    record Conversation(String with, Message last, long unread) {
    }

    /**
     * One page of a conversation.
     *
     * @param messages oldest first, latest versions, no update entries; seqs are the user's stream seqs
     * @param more     whether older messages of the conversation are still retained
     */
    record Page(List<Message> messages, boolean more) {
    }

    /**
     * Numbers the draft with its recipient's next seq and, unless {@code from} = {@code to}, a copy with the same id
     * with the sender's next seq; stores both (and the idempotency record, if any) in one atomic step. Completes once
     * they are durable and announced (recipient's copy first). One copy only when {@code from} = {@code to}.
     *
     * <p>With a key (docs/protocol.md "Idempotent sends (1.1)"): if the (sender, key) pair is recorded and younger than
     * the store's idempotency TTL, nothing is written or announced and the future completes with the first answer
     * ({@code repeat} true), or fails with {@link StoreRefusal} {@code idempotency_key_reused} when the fingerprint
     * differs. Two concurrent sends with one key store the message once. The record expires the TTL after the first
     * send's {@code sentAt}.
     *
     * @param id            the new message's id (ignored for a repeat)
     * @param sentAt        when this node accepted it
     * @param acceptedNanos {@link System#nanoTime()} at acceptance, carried by the announced entries (0: unknown)
     * @param key           empty for a send without key
     */
    CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                       Optional<SendKey> key);

    /**
     * The first answer to a send that {@code sender} already made with {@code key}, when its record is still younger
     * than the idempotency TTL at {@code now}: what {@link #append} would answer a repeat, without writing. For a
     * repeat that must not be refused by what changed since (a block: PROTOCOL.md "Idempotent sends (1.1)", "a repeat
     * gets the first answer again").
     *
     * @return empty when no such record is held (never sent, expired, or in Redis Cluster not yet complete)
     * @throws StoreRefusal {@code idempotency_key_reused} when the record's content differs
     */
    Optional<Accepted> repeatOf(String sender, SendKey key, Instant now);

    /** Up to {@code limit} retained entries with seq greater than {@code afterSeq}, oldest first. */
    Slice since(String user, long afterSeq, int limit);

    /** The retained message (not update entry) with this id in the user's stream, latest version. */
    Optional<Message> find(String user, String messageId);

    /** Highest seq the user has confirmed with {@code received} (0 if none). */
    long confirmed(String user);

    /**
     * Raises the user's confirmed seq to {@code seq} (never lowers it, never past lastSeq).
     *
     * @return the previous confirmed seq, or empty if nothing changed
     */
    Optional<Long> confirm(String user, long seq);

    /**
     * The user's conversations, most recent activity (highest seq of a message, not of an update) first, at most
     * {@code limit}. A conversation whose messages have all expired is not listed. Never costs in proportion to the
     * user's history: at most one index step per conversation of the user, plus the unread messages of those listed.
     */
    List<Conversation> conversations(String user, int limit);

    /**
     * The {@code limit} newest messages of {@code user}'s conversation with {@code with} whose user seq is below
     * {@code beforeSeq} ({@link Long#MAX_VALUE} for the newest), oldest first. Costs in proportion to {@code limit}.
     */
    Page conversation(String user, String with, long beforeSeq, int limit);

    /**
     * The user read {@code messageId}: moves the user's read marker of that conversation up to it (cumulative,
     * docs/protocol.md {@code read}; never lowered). Durable before it returns.
     *
     * @return the message as in the user's stream, or empty when the user's stream holds no such message. The caller
     *         sends the {@code read} receipt, unless the message is the user's own copy (a copy never produces
     *         receipts).
     */
    Optional<Message> markRead(String user, String messageId);

    /**
     * Edits or deletes a message written by {@code author} (docs/protocol.md "Edit and delete (1.1)"): stores the new
     * version in every copy and appends an update entry to the stream of the sender and of the recipient (one when they
     * are the same), all in one atomic step, announced like messages. A delete removes the text, data and attachment
     * from storage, in the message and in the earlier update entries of it.
     *
     * <p>Edit: {@code text} and/or {@code data} replace those fields (a field left empty keeps its value).
     * Delete: {@code text} and {@code data} are ignored; a message already deleted is left as it is and the future
     * completes with it, appending nothing.
     *
     * <p>Fails with {@link StoreRefusal}: {@code not_found} when the author's stream holds no message with this id
     * that the author wrote; {@code edit_window_closed} for an edit when {@code at} is past sentAt +
     * {@code editWindow}; {@code not_found} for an edit of a deleted message.
     *
     * @return the author's copy in its latest version
     */
    CompletableFuture<Message> update(String author, String messageId, Update.Action action, Optional<String> text,
                                      Optional<JsonValue> data, Instant at, Duration editWindow);

    /**
     * {@code user} blocks {@code other} (docs/protocol.md "Blocking (1.1)"); durable when the future completes.
     * Blocking twice is the same as once.
     */
    CompletableFuture<Void> block(String user, String other);

    /** {@code user} no longer blocks {@code other}; unblocking someone not blocked does nothing. */
    CompletableFuture<Void> unblock(String user, String other);

    /** Everyone {@code user} blocks. */
    Set<String> blocks(String user);

    /** Whether either of the two blocks the other. Cheap enough to ask on every send, typing and receipt. */
    default boolean blockedEither(String a, String b) {
        return blocks(a).contains(b) || blocks(b).contains(a);
    }

    /** Drops entries past the retention limits and idempotency records past their TTL. Runs in the background. */
    void trim(Instant now);

    /** Whether the store can take writes now (for readiness). */
    boolean healthy();

    /** What the store tells {@code /metrics} about itself, read at each scrape; none unless a store says otherwise. */
    default List<StoreMeter> meters() {
        return List.of();
    }

    @Override
    void close();
}
