package com.matchbook.realtime.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.MessageIds;
import com.matchbook.realtime.store.MessageStore;

import jakarta.json.JsonValue;

/**
 * What happens to a message between a sender and its recipient, whichever door it came in by (HTTP or socket):
 * numbered and stored, then fanned out by the store's callback; receipts and typing relayed.
 */
public final class Delivery {
    /** Receipts for a cumulative {@code received} are read from history in pages of this size. */
    private static final int RECEIPT_PAGE = 500;

    private final MessageStore store;
    private final Broker broker;
    private final Stats stats;
    private final MessageIds ids = new MessageIds();

    public Delivery(MessageStore store, Broker broker, Stats stats) {
        this.store = store;
        this.broker = broker;
        this.stats = stats;
    }

    /** Stores the draft; the future completes once it is durable (and its fan-out is queued). */
    public CompletableFuture<Message> send(Draft draft) {
        stats.messageIn();
        return store.append(draft, ids.next(), Instant.now(), System.nanoTime());
    }

    /** The recipient confirmed every message up to {@code seq}: their senders get {@code delivered} receipts. */
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
                broker.toUser(m.from(), Frames.receipt(m.id(), "delivered", userId, now));
                after = m.seq();
            }
        }
    }

    /**
     * The recipient read a message: its sender gets a {@code read} receipt.
     *
     * @return false when the user's history holds no such message
     */
    public boolean read(String userId, String messageId) {
        Optional<Message> m = store.find(userId, messageId);
        m.ifPresent(message -> broker.toUser(message.from(),
                                             Frames.receipt(message.id(), "read", userId, Instant.now())));
        return m.isPresent();
    }

    /** Typing is relayed to every connection of {@code to}, never stored. */
    public void typing(String from, String to, String state) {
        broker.toUser(to, Frames.typing(from, to, state));
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
