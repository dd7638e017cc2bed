package com.matchbook.realtime.hub;

import java.util.List;
import java.util.OptionalLong;

import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreUnavailableException;

/**
 * A registered connection's start: queues its {@code welcome}, then every retained message after its resume point,
 * then lets live traffic through. Pages through history at the pace the peer reads. Also fills a live connection's
 * gap from history. Built before the hub, which calls it with itself ({@link Hub#open}, a gap in {@link Hub#deliver}).
 */
public final class Replay {
    /** History is read in pages of at most this many messages. */
    private static final int MAX_PAGE = 200;

    private final MessageStore store;
    private final Stats stats;
    private final int pageSize;
    private final long pageWaitNanos;
    private final String historyUnavailable;
    private final HubLimits limits;

    public Replay(MessageStore store, Stats stats, HubLimits limits) {
        this.store = store;
        this.stats = stats;
        this.limits = limits;
        // Half the outbox at most, so a page always fits beside live traffic.
        this.pageSize = Math.max(1, Math.min(MAX_PAGE, limits.outboxLimit() / 2));
        this.pageWaitNanos = limits.writeTimeout().toNanos();
        this.historyUnavailable = "history unavailable; retry-after-ms=" + limits.retryWhenStoreDown().toMillis();
    }

    /** A live connection saw a seq skip: read what it missed from history (in the background), then release it. */
    void fill(Hub hub, Connection c) {
        hub.background(() -> {
            try {
                List<Message> page = store.since(c.userId(), c.lastSeq(), pageSize).messages();
                rest(hub, c, page, Long.MAX_VALUE);
            } catch (StoreUnavailableException e) {
                historyUnavailable(hub, c);
            }
        });
    }

    /**
     * Queues the welcome and history of a connection the hub has just registered.
     *
     * @param since the client's resume point; empty means "after what the user last confirmed"
     */
    void start(Hub hub, Connection c, OptionalLong since) {
        String userId = c.userId();
        long after;
        MessageStore.Slice first;
        try {
            after = since.orElseGet(() -> store.confirmed(userId));
            first = store.since(userId, after, pageSize);
            if (after > first.lastSeq()) {
                // A cursor this server never handed out: its history was wiped. Everything it holds now is news to
                // the client, which learns it from welcome.lastSeq and replay.from.
                after = 0;
                first = store.since(userId, 0, pageSize);
            }
        } catch (StoreUnavailableException e) {
            historyUnavailable(hub, c);
            return;
        }
        long lastSeq = first.lastSeq();
        List<Message> page = first.messages();
        long from = page.isEmpty() ? lastSeq + 1 : page.getFirst().seq();
        c.startAfter(after, lastSeq);
        Frames.Replay range = new Frames.Replay(from, lastSeq, first.completeAfter(after));
        if (!c.welcome(Frames.welcome(userId, c.id(), limits.heartbeatMs(), limits.heartbeatTimeoutMs(), lastSeq,
                                      range))) {
            hub.slow(c);
            return;
        }
        boolean more = page.size() == pageSize && page.getLast().seq() < lastSeq;
        if (!more) {
            queue(hub, c, page, true);
        } else {
            hub.background(() -> rest(hub, c, page, lastSeq));
        }
    }

    private void rest(Hub hub, Connection c, List<Message> firstPage, long upTo) {
        List<Message> page = firstPage;
        boolean last = false;
        while (!last && c.isOpen()) {
            long pageEnd = page.isEmpty() ? upTo : page.getLast().seq();
            last = page.size() < pageSize || pageEnd >= upTo;
            if (!c.outbox().awaitRoom(page.size(), pageWaitNanos)) {
                hub.slow(c);
                return;
            }
            if (!queue(hub, c, page, last)) {
                return;
            }
            if (!last) {
                try {
                    page = store.since(c.userId(), pageEnd, pageSize).messages();
                } catch (StoreUnavailableException e) {
                    historyUnavailable(hub, c);
                    return;
                }
            }
        }
    }

    /** Without history there is no gap-free start: the client is sent away to try again shortly. */
    private void historyUnavailable(Hub hub, Connection c) {
        hub.end(c, Ending.CLOSE_NOW, CloseCodes.INTERNAL_ERROR, historyUnavailable);
    }

    private boolean queue(Hub hub, Connection c, List<Message> page, boolean last) {
        stats.replayed.add(page.size());
        if (!c.replayed(page, last)) {
            hub.slow(c);
            return false;
        }
        return true;
    }
}
