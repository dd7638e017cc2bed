package com.matchbook.realtime.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.MessageIds;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreRefusal;
import com.matchbook.realtime.store.StoreUnavailableException;

import jakarta.json.JsonValue;

/**
 * What happens to a message between a sender and its recipient, whichever door it came in by (HTTP or socket):
 * numbered and stored in both people's streams, then fanned out by the store's callback; edits, deletes and blocks;
 * receipts and typing relayed. The rules of docs/protocol.md "Conversations", "Idempotent sends", "Edit and delete" and
 * "Blocking" (1.1) that are not the store's are here: who may do what, and what is dropped between blocked people.
 */
public final class Delivery {
    /** Receipts for a cumulative {@code received} are read from history in pages of this size. */
    private static final int RECEIPT_PAGE = 500;

    private final MessageStore store;
    private final Broker broker;
    private final Stats stats;
    private final Duration editWindow;
    private final MessageIds ids = new MessageIds();

    /** @param editWindow {@code matchbook.edit-window}: how long after sentAt a message may be edited */
    public Delivery(MessageStore store, Broker broker, Stats stats, Duration editWindow) {
        this.store = store;
        this.broker = broker;
        this.stats = stats;
        this.editWindow = editWindow;
    }

    /**
     * Stores the draft in both people's streams; the future completes once it is durable (and its fan-out is queued).
     * Fails with {@link StoreRefusal} {@code blocked} when either blocks the other (nothing stored; a repeat of a
     * keyed send stored before the block gets its first answer instead, from the record the store holds: a repeat
     * racing its own first attempt, before that is durable, or in Redis Cluster before both halves are written, is
     * still refused), or {@code idempotency_key_reused}.
     *
     * @param key the sender's idempotency key, already checked ({@code IdempotencyKeys}), or empty
     */
    public CompletableFuture<MessageStore.Accepted> send(Draft draft, Optional<String> key) {
        stats.messageIn();
        Optional<MessageStore.SendKey> sendKey = key.map(k -> new MessageStore.SendKey(k, draft.fingerprint()));
        if (!draft.from().equals(draft.to()) && store.blockedEither(draft.from(), draft.to())) {
            // A repeat of a send stored before the block still gets its first answer (PROTOCOL.md "Idempotent sends
            // (1.1)"): the client resends what it saw no ack for, and "blocked" would deny a delivered message.
            try {
                Optional<MessageStore.Accepted> first = sendKey.flatMap(k -> store.repeatOf(draft.from(), k,
                                                                                           Instant.now()));
                return first.map(CompletableFuture::completedFuture)
                        .orElseGet(() -> CompletableFuture.failedFuture(StoreRefusal.blocked(draft.to())));
            } catch (StoreRefusal | StoreUnavailableException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        long accepted = System.nanoTime();
        CompletableFuture<MessageStore.Accepted> stored =
                store.append(draft, ids.next(), Instant.now(), accepted, sendKey);
        stored.thenRun(() -> stats.committed(System.nanoTime() - accepted));
        return stored;
    }

    /** A send without idempotency key. */
    public CompletableFuture<MessageStore.Accepted> send(Draft draft) {
        return send(draft, Optional.empty());
    }

    /**
     * The user confirmed every entry up to {@code seq}: the senders of those messages get {@code delivered} receipts.
     * The user's own copies and update entries produce none, nor do messages between blocked people.
     */
    public void received(String userId, long seq) {
        Optional<Long> previous = store.confirm(userId, seq);
        if (previous.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        long after = previous.get();
        while (after < seq) {
            List<Message> page = store.since(userId, after, RECEIPT_PAGE).messages();
            if (page.isEmpty()) {
                return;
            }
            for (Message m : page) {
                if (m.seq() > seq) {
                    return;
                }
                after = m.seq();
                if (m.update().isEmpty() && !m.ownCopy() && !store.blockedEither(userId, m.from())) {
                    broker.toUser(m.from(), Frames.receipt(m.id(), "delivered", userId, now));
                }
            }
        }
    }

    /**
     * The user read a message: the read marker of its conversation moves up to it (cumulative), and its sender gets a
     * {@code read} receipt, unless it is the user's own message or either blocks the other.
     *
     * @return false when the user's stream holds no such message
     */
    public boolean read(String userId, String messageId) {
        Optional<Message> m = store.markRead(userId, messageId);
        m.filter(message -> !message.from().equals(userId) && !store.blockedEither(userId, message.from()))
                .ifPresent(message -> broker.toUser(message.from(),
                                                    Frames.receipt(message.id(), "read", userId, Instant.now())));
        return m.isPresent();
    }

    /** Typing is relayed to every connection of {@code to}, never stored; dropped between blocked people. */
    public void typing(String from, String to, String state) {
        if (!from.equals(to) && store.blockedEither(from, to)) {
            return;
        }
        broker.toUser(to, Frames.typing(from, to, state));
    }

    /**
     * The author edits a message within the edit window. Fails with {@link StoreRefusal}: {@code not_found},
     * {@code edit_window_closed}, or {@code blocked} when either of the two people blocks the other (an edit between
     * them is dropped).
     *
     * @return the author's copy in its latest version
     */
    public CompletableFuture<Message> edit(String author, String messageId, Optional<String> text,
                                           Optional<JsonValue> data) {
        Optional<Message> m = store.find(author, messageId).filter(found -> found.from().equals(author));
        if (m.isPresent() && !m.get().to().equals(author) && store.blockedEither(author, m.get().to())) {
            return CompletableFuture.failedFuture(StoreRefusal.blocked(m.get().to()));
        }
        return store.update(author, messageId, Update.Action.EDIT, text, data, Instant.now(), editWindow);
    }

    /**
     * The author deletes a message (always allowed, blocked or not: it only takes content away). A message already
     * deleted stays as it is. Fails with {@link StoreRefusal} {@code not_found}.
     */
    public CompletableFuture<Message> delete(String author, String messageId) {
        return store.update(author, messageId, Update.Action.DELETE, Optional.empty(), Optional.empty(),
                            Instant.now(), editWindow);
    }

    /** A live-only message to everyone connected: no seq, not stored. */
    public int broadcast(String from, String channel, Optional<String> text, Optional<JsonValue> data) {
        stats.messageIn();
        return broker.toAll(Frames.broadcast(ids.next(), from, channel, text, data, Instant.now()), channel);
    }

    public MessageStore store() {
        return store;
    }
}
