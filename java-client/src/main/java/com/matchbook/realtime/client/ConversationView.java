package com.matchbook.realtime.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a chat screen shows of one conversation (docs/protocol.md 1.1 "Conversations"): the messages of this user and
 * {@link #with()} in seq order, each once and in its latest version. Older pages come from the server on demand
 * ({@link #loadOlder(int)}); new messages of both people (this user's own as sender copies, from this or any other
 * device) and {@link Update}s join as they arrive. An edit changes the held message in place; a delete leaves it
 * in place as {@link Message#deleted()} without content, as the server's history shows it.
 *
 * <p>Thread-safe. The view is fed on the client's callback thread, and its change listeners run there.
 */
public final class ConversationView implements AutoCloseable {
    private static final Comparator<Message> BY_SEQ = Comparator.comparingLong(m -> m.seq().orElse(Long.MAX_VALUE));

    private final MatchbookClient client;
    private final String self;
    private final String with;
    private final Map<String, Message> byId = new HashMap<>();
    /** The latest update per message id, for a page that arrives after an update of one of its messages. */
    private final Map<String, Update> updates = new HashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final Registration messageRegistration;
    private final Registration updateRegistration;
    private OptionalLong oldest = OptionalLong.empty();
    private boolean more = true;

    ConversationView(MatchbookClient client, Listeners listeners, String with) {
        this.client = client;
        this.self = client.userId();
        this.with = with;
        this.messageRegistration = Listeners.add(listeners.messages, this::message);
        this.updateRegistration = Listeners.add(listeners.updates, this::update);
    }

    /** The other person. */
    public String with() {
        return with;
    }

    /** The held messages, oldest first (by this user's seq). A copy. */
    public synchronized List<Message> messages() {
        List<Message> list = new ArrayList<>(byId.values());
        list.sort(BY_SEQ);
        return list;
    }

    /** Whether the server retains messages older than the oldest one held (true until the first page says). */
    public synchronized boolean hasMore() {
        return more;
    }

    /**
     * Loads the page before the oldest message held (the newest page on the first call) and merges it in. The future
     * completes with the page once merged; it fails with an {@link ApiException} as {@link MatchbookClient#history}.
     *
     * @param limit 1 to 200
     */
    public CompletableFuture<ConversationPage> loadOlder(int limit) {
        OptionalLong before;
        synchronized (this) {
            before = oldest;
        }
        return client.history(with, before, limit).thenApply(page -> {
            merge(page);
            return page;
        });
    }

    /** Runs {@code listener} (on the callback thread) after every change of {@link #messages()}. */
    public Registration onChange(Runnable listener) {
        changeListeners.add(listener);
        return () -> changeListeners.remove(listener);
    }

    /** Stops following the conversation. */
    @Override
    public void close() {
        messageRegistration.close();
        updateRegistration.close();
    }

    private boolean ours(Message m) {
        String to = m.to().orElse("");
        return !m.broadcast() && (m.from().equals(self) && to.equals(with) || m.from().equals(with) && to.equals(self));
    }

    private void merge(ConversationPage page) {
        synchronized (this) {
            for (Message m : page.messages()) {
                put(m);
                m.seq().ifPresent(s -> oldest = OptionalLong.of(Math.min(oldest.orElse(Long.MAX_VALUE), s)));
            }
            more = page.more() && !page.messages().isEmpty();
        }
        changed();
    }

    private void message(Message m) {
        if (!ours(m)) {
            return;
        }
        synchronized (this) {
            put(m);
        }
        changed();
    }

    /** A message seen again (a page overlapping live ones) keeps the later of the two versions. */
    private void put(Message m) {
        Message held = byId.get(m.id());
        Message next = held != null && later(held, m) ? held : m;
        Update u = updates.get(m.id());
        byId.put(m.id(), u == null ? next : next.apply(u));
    }

    /** Deleted is final; otherwise the version edited last wins (an unedited one is the oldest). */
    private static boolean later(Message a, Message b) {
        if (a.deleted() || b.deleted()) {
            return a.deleted();
        }
        return a.editedAt().map(at -> b.editedAt().map(bt -> !at.isBefore(bt)).orElse(true)).orElse(false);
    }

    private void update(Update u) {
        synchronized (this) {
            Update known = updates.get(u.messageId());
            if (known == null || known.action() != Update.Action.DELETE) {
                updates.put(u.messageId(), u);
            }
            Message held = byId.get(u.messageId());
            if (held == null) {
                return;
            }
            byId.put(held.id(), held.apply(u));
        }
        changed();
    }

    private void changed() {
        for (Runnable r : changeListeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.getLogger(ConversationView.class.getName())
                        .log(System.Logger.Level.WARNING, "event=listener-failed listener=\"conversation change\"", e);
            }
        }
    }
}
