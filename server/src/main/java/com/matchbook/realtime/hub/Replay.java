package com.matchbook.realtime.hub;

import java.util.List;
import java.util.OptionalLong;

import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreUnavailableException;

/**
 * Opens a connection: registers it, queues its {@code welcome}, then every retained message after its resume point,
 * then lets live traffic through. Pages through history at the pace the peer reads.
 */
public final class Replay {
    /** History is read in pages of at most this many messages. */
    private static final int MAX_PAGE = 200;
    private static final long RETRY_WHEN_STORE_DOWN_MS = 2000;

    private final Hub hub;
    private final MessageStore store;
    private final Stats stats;
    private final int pageSize;
    private final long pageWaitNanos;

    public Replay(Hub hub, MessageStore store, Stats stats) {
        this.hub = hub;
        this.store = store;
        this.stats = stats;
        HubLimits limits = hub.limits();
        // Half the outbox at most, so a page always fits beside live traffic.
        this.pageSize = Math.max(1, Math.min(MAX_PAGE, limits.outboxLimit() / 2));
        this.pageWaitNanos = limits.writeTimeout().toNanos();
        hub.onGap(c -> hub.background(() -> fill(c)));
    }

    /** A live connection saw a seq skip: read what it missed from history, then release what it holds. */
    private void fill(Connection c) {
        try {
            List<Message> page = store.since(c.userId(), c.lastSeq(), pageSize).messages();
            rest(c, page, Long.MAX_VALUE);
        } catch (StoreUnavailableException e) {
            hub.cut(c, 1011, "history unavailable; retry-after-ms=" + RETRY_WHEN_STORE_DOWN_MS);
        }
    }

    /**
     * @param since the client's resume point; empty means "after what the user last confirmed"
     * @throws TooManyConnectionsException over the per-user limit
     */
    public Connection open(String userId, FrameSink sink, OptionalLong since) {
        Connection c = hub.register(userId, sink);
        // Registered before reading history: whatever is stored from now on reaches the connection live (held until
        // the replay is queued), and whatever was stored before is in what is read below.
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
            // Without history there is no gap-free start: send the client away to try again shortly.
            hub.cut(c, 1011, "history unavailable; retry-after-ms=" + RETRY_WHEN_STORE_DOWN_MS);
            return c;
        }
        long lastSeq = first.lastSeq();
        List<Message> page = first.messages();
        long from = page.isEmpty() ? lastSeq + 1 : page.getFirst().seq();
        c.startAfter(after, lastSeq);
        Frames.Replay range = new Frames.Replay(from, lastSeq, first.completeAfter(after));
        if (!c.welcome(Frames.welcome(userId, c.id(), hub.limits().heartbeatMs(), lastSeq, range))) {
            hub.slow(c);
            return c;
        }
        boolean more = page.size() == pageSize && page.getLast().seq() < lastSeq;
        if (!more) {
            queue(c, page, true);
        } else {
            hub.background(() -> rest(c, page, lastSeq));
        }
        return c;
    }

    private void rest(Connection c, List<Message> firstPage, long upTo) {
        List<Message> page = firstPage;
        boolean last = false;
        while (!last && c.isOpen()) {
            long pageEnd = page.isEmpty() ? upTo : page.getLast().seq();
            last = page.size() < pageSize || pageEnd >= upTo;
            if (!c.outbox().awaitRoom(page.size(), pageWaitNanos)) {
                hub.slow(c);
                return;
            }
            if (!queue(c, page, last)) {
                return;
            }
            if (!last) {
                try {
                    page = store.since(c.userId(), pageEnd, pageSize).messages();
                } catch (StoreUnavailableException e) {
                    hub.cut(c, 1011, "history unavailable; retry-after-ms=" + RETRY_WHEN_STORE_DOWN_MS);
                    return;
                }
            }
        }
    }

    private boolean queue(Connection c, List<Message> page, boolean last) {
        stats.replayed.add(page.size());
        if (!c.replayed(page, last)) {
            hub.slow(c);
            return false;
        }
        return true;
    }
}
