package com.matchbook.realtime.hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.OutFrame;

/**
 * One open socket of one user. Owns its outbox; the hub owns the registry it sits in.
 *
 * <p>Ordering: until its replay is done the connection holds live messages aside, then sends the replay, then what
 * was held, skipping every seq it has already sent. That is how replay and live traffic meet without gap or
 * duplicate. Where it stands is one {@link Phase}, changed only by {@link #moveTo}.
 *
 * <p>Past 300 lines because it is one thing: the state of one socket as the hub and the keepalive see it (ordering
 * gate, seq cursor, channel filter, liveness and token deadlines), each piece read on every delivery or sweep.
 */
public final class Connection {
    /**
     * Where a connection stands. {@code WELCOMING -> REPLAYING -> LIVE <-> FILLING_GAP}, and from any of them once to
     * {@code ENDED}.
     */
    enum Phase {
        /** Registered; every frame is held until the {@code welcome} is queued first. */
        WELCOMING,
        /** Welcomed; stored messages are held until the history is queued. */
        REPLAYING,
        /** Stored messages are queued as they come, in seq order. */
        LIVE,
        /** A seq was skipped: messages are held until the missing ones are read from history. */
        FILLING_GAP,
        /** Unregistered; nothing more is queued. */
        ENDED;

        boolean holdsMessages() {
            return this == WELCOMING || this == REPLAYING || this == FILLING_GAP;
        }
    }

    private final String id;
    private final String userId;
    private final Outbox outbox;
    private final FrameSink sink;
    private final Object order = new Object();
    private final Instant openedAt = Instant.now();

    private volatile Set<String> channels;   // null: every channel
    private volatile long pingOutstandingSinceNanos;
    private volatile long nextPingNanos;
    private int sweepSlice;   // set once by Keepalive.admit before the hub registers the connection
    private volatile long closeDeadlineNanos;
    private final Thread reader;   // null: a stream the server only writes
    private final boolean streamOnly;
    private volatile long replayEnd;
    private volatile long authorizedUntilMillis;   // 0: no token involved

    // written under order; read without it only to skip the lock once welcomed
    private volatile Phase phase = Phase.WELCOMING;
    // guarded by order
    private List<OutFrame> heldFrames = new ArrayList<>();
    private List<Message> held = new ArrayList<>();
    private long lastSeq;

    /**
     * @param authorizedUntilMillis when the connection's token (plus leeway) runs out, epoch milliseconds; 0 without
     *                              a token
     * @param writerEvents          what its outbox's writer reports, given this connection (the hub's counters and
     *                              exits)
     */
    Connection(String id, String userId, FrameSink sink, long authorizedUntilMillis, Executor writers, int outboxLimit,
               Function<Connection, Outbox.Events> writerEvents) {
        this(id, userId, sink, authorizedUntilMillis, writers, outboxLimit, writerEvents, false);
    }

    /** @param heldOpen the outbox starts held ({@link Outbox#startWriting()}): the opening thread writes the welcome */
    Connection(String id, String userId, FrameSink sink, long authorizedUntilMillis, Executor writers, int outboxLimit,
               Function<Connection, Outbox.Events> writerEvents, boolean heldOpen) {
        this.id = id;
        this.userId = userId;
        this.sink = sink;
        this.reader = sink.reader().orElse(null);
        this.streamOnly = reader == null;
        this.authorizedUntilMillis = authorizedUntilMillis;
        this.outbox = new Outbox(sink, writers, outboxLimit, writerEvents.apply(this), heldOpen);
    }

    public String id() {
        return id;
    }

    public String userId() {
        return userId;
    }

    /** From now on only live messages of these channels reach this connection ({@code subscribe} frame). */
    public void subscribe(Set<String> only) {
        this.channels = Set.copyOf(only);
    }

    /** With auth on: an {@code auth} frame renewed the token; the connection now runs out at {@code until}. */
    public void authorizedUntil(Instant until) {
        authorizedUntilMillis = until.toEpochMilli();
    }

    boolean tokenExpired(long nowMillis) {
        long until = authorizedUntilMillis;
        return until != 0 && nowMillis > until;
    }

    /** When the hub registered it (the console's "age"). */
    public Instant openedAt() {
        return openedAt;
    }

    /** Whether this is an SSE fallback stream rather than a WebSocket. */
    public boolean isStream() {
        return streamOnly;
    }

    /** Frames queued and not yet written: how far behind the peer is. */
    public int outboxDepth() {
        return outbox.size();
    }

    /** Anything from the peer proves it alive. */
    public void heard() {
        pingOutstandingSinceNanos = 0;
    }

    /** Bytes arrived since {@code nanos}, a frame still being read included ({@link FrameSink#readSince}). */
    boolean readSince(long nanos) {
        return sink.readSince(nanos);
    }

    /** Queues a frame that is not a stored message (acks, errors, receipts, pings, broadcasts). */
    boolean send(OutFrame frame) {
        if (phase == Phase.WELCOMING) {
            synchronized (order) {
                if (phase == Phase.WELCOMING) {
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
            // last: from here on senders skip the lock, and nothing held is left behind them
            moveTo(Phase.REPLAYING);
            return ok;
        }
    }

    /** What became of a delivered message. */
    enum Delivered { QUEUED, OVERFLOW, GAP }

    /**
     * Queues a stored message for this connection, in seq order. A message that skips seqs (a publication lost
     * between nodes) is held, like live traffic during a replay, until the missing ones are read from history.
     *
     * @param frame {@code message.frame()}, encoded once by the caller for all of the user's connections
     */
    Delivered deliver(Message message, OutFrame frame) {
        synchronized (order) {
            Phase now = phase;
            if (now == Phase.ENDED) {
                return Delivered.QUEUED;   // unregistered meanwhile: its history has the message
            }
            if (now.holdsMessages()) {
                held.add(message);
                return held.size() <= outbox.limitValue() ? Delivered.QUEUED : Delivered.OVERFLOW;
            }
            if (message.seq() > lastSeq + 1) {
                moveTo(Phase.FILLING_GAP);
                held.add(message);
                return Delivered.GAP;
            }
            return enqueue(message, frame) ? Delivered.QUEUED : Delivered.OVERFLOW;
        }
    }

    /** Queues a page read from history; the last page ends the replay (or gap fill) and releases what was held. */
    boolean replayed(List<Message> page, boolean last) {
        synchronized (order) {
            if (phase == Phase.ENDED) {
                return false;
            }
            for (Message m : page) {
                if (!enqueue(m)) {
                    return false;
                }
            }
            if (last) {
                List<Message> waiting = held;
                moveTo(Phase.LIVE);
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

    /** Whether this connection takes messages of this channel (all, unless it subscribed). */
    boolean wants(String channel) {
        Set<String> only = channels;
        return only == null || only.contains(channel);
    }

    Outbox outbox() {
        return outbox;
    }

    /** Moves to {@link Phase#ENDED}; true only for the first caller, so every exit path acts once. */
    boolean end() {
        synchronized (order) {
            return moveTo(Phase.ENDED);
        }
    }

    /** Whether the connection is still registered (not closed by either side). */
    public boolean isOpen() {
        return phase != Phase.ENDED;
    }

    boolean readerEnded() {
        Thread t = reader;
        return t != null && !t.isAlive();
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

    /** Which of the keepalive's slices sweeps it ({@link Keepalive#admit}). */
    int sweepSlice() {
        return sweepSlice;
    }

    void sweepSlice(int slice) {
        sweepSlice = slice;
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

    void terminate() {
        sink.terminate();
    }

    @Override
    public String toString() {
        return "Connection[" + id + " user=" + userId + " " + phase + "]";
    }

    /**
     * Every phase change, under {@code order}: what each phase holds is set up or released here.
     *
     * @return false when the move is not allowed from where the connection stands (ENDED is final)
     */
    private boolean moveTo(Phase next) {
        Phase from = phase;
        boolean allowed = switch (next) {
            case WELCOMING -> false;
            case REPLAYING -> from == Phase.WELCOMING;
            case LIVE -> from == Phase.REPLAYING || from == Phase.FILLING_GAP;
            case FILLING_GAP -> from == Phase.LIVE;
            case ENDED -> from != Phase.ENDED;
        };
        if (!allowed) {
            return false;
        }
        switch (next) {
            case LIVE -> held = null;
            case FILLING_GAP -> held = new ArrayList<>();
            default -> { }
        }
        phase = next;
        return true;
    }

    private boolean enqueue(Message m) {
        return enqueue(m, null);
    }

    /** @param frame the message's frame when the caller has it, else null (encoded here) */
    private boolean enqueue(Message m, OutFrame frame) {
        if (m.seq() <= lastSeq) {
            return true;   // already sent: replay and live overlapped
        }
        lastSeq = m.seq();
        if (!wants(m.channel())) {
            return true;
        }
        return outbox.offer(frame != null ? frame : m.frame());
    }
}
