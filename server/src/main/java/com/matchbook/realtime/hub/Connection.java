package com.matchbook.realtime.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.OutFrame;

/**
 * One open socket of one user. Owns its outbox; the hub owns the registry it sits in.
 *
 * <p>Ordering: until its replay is done the connection holds live messages aside, then sends the replay, then what
 * was held, skipping every seq it has already sent. That is how replay and live traffic meet without gap or
 * duplicate.
 */
public final class Connection {
    private final String id;
    private final String userId;
    private final Outbox outbox;
    private final FrameSink sink;
    private final long openedNanos = System.nanoTime();
    private final AtomicBoolean gone = new AtomicBoolean();
    private final Object order = new Object();

    private volatile Set<String> channels;   // null: every channel
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long pingOutstandingSinceNanos;
    private volatile long nextPingNanos;
    private volatile long closeDeadlineNanos;
    private volatile Thread reader;
    private volatile long replayEnd;
    private volatile boolean streamOnly;
    private volatile long authorizedUntilMillis;   // 0: no token involved

    // guarded by order
    private volatile boolean welcomed;
    private List<OutFrame> heldFrames = new ArrayList<>();
    private boolean live;
    private List<Message> held = new ArrayList<>();
    private long lastSeq;

    Connection(String id, String userId, FrameSink sink, Executor writers, int outboxLimit, Outbox.Events events) {
        this.id = id;
        this.userId = userId;
        this.sink = sink;
        this.outbox = new Outbox(sink, writers, outboxLimit, events);
    }

    public String id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    /** Remembers the thread reading this socket: when it ends, the socket is gone, whatever the peer said. */
    public void readerThread(Thread thread) {
        this.reader = thread;
    }

    public void subscribe(Set<String> only) {
        this.channels = Set.copyOf(only);
    }

    /** With auth on: when the connection's token (plus leeway) runs out unless an {@code auth} frame renews it. */
    public void authorizedUntil(java.time.Instant until) {
        authorizedUntilMillis = until.toEpochMilli();
    }

    boolean tokenExpired(long nowMillis) {
        long until = authorizedUntilMillis;
        return until != 0 && nowMillis > until;
    }

    /** An SSE stream: it cannot answer pings, so only failed writes tell that it is gone. */
    public void streamOnly() {
        streamOnly = true;
    }

    boolean answersPings() {
        return !streamOnly;
    }

    /** Anything from the peer proves it alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
        pingOutstandingSinceNanos = 0;
    }

    /** Queues a frame that is not a stored message (acks, errors, receipts, pings, broadcasts). */
    boolean send(OutFrame frame) {
        if (!welcomed) {
            synchronized (order) {
                if (!welcomed) {
                    heldFrames.add(frame);
                    return heldFrames.size() <= outbox.limitValue();
                }
            }
        }
        return outbox.offer(frame);
    }

    /** Queues the welcome, which must be the first frame, then whatever waited for it. */
    boolean welcome(OutFrame welcome) {
        synchronized (order) {
            boolean ok = outbox.offer(welcome);
            for (OutFrame f : heldFrames) {
                ok &= outbox.offer(f);
            }
            heldFrames = null;
            welcomed = true;   // last: from here on senders skip the lock, and nothing held is left behind them
            return ok;
        }
    }

    /** What became of a delivered message. */
    enum Delivered { QUEUED, OVERFLOW, GAP }

    /**
     * Queues a stored message for this connection, in seq order. A message that skips seqs (a publication lost
     * between nodes) is held, like live traffic during a replay, until the missing ones are read from history.
     */
    Delivered deliver(Message message) {
        synchronized (order) {
            if (!live) {
                held.add(message);
                return held.size() <= outbox.limitValue() ? Delivered.QUEUED : Delivered.OVERFLOW;
            }
            if (message.seq() > lastSeq + 1) {
                live = false;
                held = new ArrayList<>();
                held.add(message);
                return Delivered.GAP;
            }
            return enqueue(message) ? Delivered.QUEUED : Delivered.OVERFLOW;
        }
    }

    /** Queues a page read from history; the last page ends the replay (or gap fill) and releases what was held. */
    boolean replayed(List<Message> page, boolean last) {
        synchronized (order) {
            for (Message m : page) {
                if (!enqueue(m)) {
                    return false;
                }
            }
            if (last) {
                live = true;
                List<Message> waiting = held;
                held = null;
                for (Message m : waiting) {
                    if (!enqueue(m)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Highest seq queued to this connection so far. */
    public long lastSeq() {
        synchronized (order) {
            return lastSeq;
        }
    }

    /** Starts this connection's seq cursor where its replay begins; {@code replayEnd} is the last replayed seq. */
    void startAfter(long seq, long replayEnd) {
        synchronized (order) {
            lastSeq = seq;
        }
        this.replayEnd = replayEnd;
    }

    long replayEnd() {
        return replayEnd;
    }

    private boolean enqueue(Message m) {
        if (m.seq() <= lastSeq) {
            return true;   // already sent: replay and live overlapped
        }
        lastSeq = m.seq();
        if (!wants(m.channel())) {
            return true;
        }
        return outbox.offer(m.frame());
    }

    /** Whether this connection takes messages of this channel (all, unless it subscribed). */
    boolean wants(String channel) {
        Set<String> only = channels;
        return only == null || only.contains(channel);
    }

    Outbox outbox() {
        return outbox;
    }

    /** Marks the connection gone; true only for the first caller, so every exit path unregisters once. */
    boolean markGone() {
        return gone.compareAndSet(false, true);
    }

    boolean isGone() {
        return gone.get();
    }

    /** Whether the connection is still registered (not closed by either side). */
    public boolean isOpen() {
        return !gone.get();
    }

    boolean readerEnded() {
        Thread t = reader;
        return t != null && !t.isAlive();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    long pingOutstandingSinceNanos() {
        return pingOutstandingSinceNanos;
    }

    void pinged(long nowNanos, long intervalNanos) {
        if (pingOutstandingSinceNanos == 0 && !streamOnly) {
            pingOutstandingSinceNanos = nowNanos;
        }
        nextPingNanos = nowNanos + intervalNanos;
    }

    long nextPingNanos() {
        return nextPingNanos;
    }

    void firstPingAt(long nanos) {
        nextPingNanos = nanos;
    }

    /** When the peer is cut off if it has not finished the close handshake (0: no close sent). */
    long closeDeadlineNanos() {
        return closeDeadlineNanos;
    }

    void closeSent(long graceNanos) {
        if (closeDeadlineNanos == 0) {
            closeDeadlineNanos = System.nanoTime() + graceNanos;
        }
    }

    long openedNanos() {
        return openedNanos;
    }

    void terminate() {
        sink.terminate();
    }

    @Override
    public String toString() {
        return "Connection[" + id + " user=" + userId + "]";
    }
}
