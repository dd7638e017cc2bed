package com.matchbook.realtime.hub;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseCodes;

/**
 * The one timer of the hub. Each sweep pings the connections that are due, closes those silent past the heartbeat
 * timeout, cuts writes blocked past the write timeout, and reaps sockets that vanished without a close frame
 * (Helidon tells the listener nothing when a peer just disappears). A sweep is a walk over the registry with no I/O:
 * pings and closes go through the outboxes. Built before the hub, which tells it of closes it started
 * ({@link #watchClose}) and of every connection it opens ({@link #admit}); {@link #start} is handed the hub whose
 * connections it sweeps.
 *
 * <p>Heartbeats are spread out, because connections that open together would otherwise ping together for as long as
 * they live: after a reconnect storm or at a benchmark's start, thousands of pings (and their pongs) fell into one
 * sweep every 25 s, and at 5,000 msg/s the messages queued behind them waited 80-190 ms (docs/performance.md,
 * "Heartbeats spread out"). So a connection's first ping falls at a uniformly random point of its first interval
 * (earlier than the interval, which PROTOCOL.md's "every heartbeat interval" and the client's {@code heartbeatMs}
 * allow; never later, and never before the {@code welcome}, which {@link Connection} queues first), and each
 * period's sweep is made in {@link #SLICES} slices, one every tenth of the period, each over the connections
 * admitted into it, so the pings a period releases go out in ten small groups rather than one. Every connection is
 * still swept once per period.
 *
 * <p>The whole interval, not only its second half (as until 2026-12-06): a node that starts with a crowd (a restart,
 * a reconnect storm) then hears pings and pongs from its first seconds, while the JIT is still profiling, instead of
 * 12.5 s later. Before, the first wave hit branches the compiled code had never seen taken, and the hottest methods
 * of the read and write paths (and the JDK's {@code ForkJoinPool}) went back to the interpreter and were compiled
 * again on a loaded core (docs/performance.md, "First pings over the whole interval").
 */
public final class Keepalive implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Keepalive.class.getName());
    private static final OutFrame CONTROL_PING = OutFrame.ping();
    /** How many slices a period's sweep is made in, when the period allows ({@link #slicesOf}). */
    static final int SLICES = 10;
    /** A slice is not swept more often than this: below it the walks would cost more than the spreading gains. */
    private static final long MIN_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Stats stats;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long writeTimeoutNanos;
    /** How often each connection is swept ({@link Timings#keepaliveSweep}). */
    private final long periodNanos;
    private final Set<Connection> closing = ConcurrentHashMap.newKeySet();
    /** Hands out slices in turn, so connections opened together land in different ones. */
    private final AtomicLong admitted = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "matchbook-keepalive");
        t.setDaemon(true);
        return t;
    });

    public Keepalive(Stats stats, HubLimits limits) {
        this.stats = stats;
        this.intervalNanos = limits.heartbeatInterval().toNanos();
        this.timeoutNanos = limits.heartbeatTimeout().toNanos();
        this.writeTimeoutNanos = limits.writeTimeout().toNanos();
        this.periodNanos = Timings.keepaliveSweep(limits.heartbeatInterval(), limits.heartbeatTimeout()).toNanos();
    }

    /** The server sent this connection a close frame: it is cut off if the peer does not finish the handshake. */
    void watchClose(Connection c) {
        closing.add(c);
    }

    /**
     * A connection the hub just opened, at {@code nowNanos}: gives it its sweep slice (in turn, modulo
     * {@link #SLICES}) and its first ping, due at a uniformly random instant in {@code (now, now + interval]}.
     */
    void admit(Connection c, long nowNanos) {
        c.sweepSlice((int) (admitted.getAndIncrement() % SLICES));
        c.firstPingAt(nowNanos + 1 + ThreadLocalRandom.current().nextLong(intervalNanos));   // positive: Settings checks it
    }

    /**
     * Sweeps the hub's connections from now on: each once every {@link Timings#keepaliveSweep}, in
     * {@link #slicesOf} slices spread evenly over it.
     */
    public Keepalive start(Hub hub) {
        int slices = slicesOf(periodNanos);
        long tickNanos = periodNanos / slices;
        long[] ticks = {0};
        timer.scheduleAtFixedRate(() -> sweepSafely(hub, slices, (int) (ticks[0]++ % slices)), tickNanos, tickNanos,
                                  TimeUnit.NANOSECONDS);
        return this;
    }

    /**
     * How many slices a sweep period of {@code periodNanos} is cut into: {@link #SLICES}, or fewer so that a slice
     * lasts at least 50 ms (1 for a period under 100 ms).
     */
    static int slicesOf(long periodNanos) {
        return (int) Math.clamp(periodNanos / MIN_SLICE_NANOS, 1, SLICES);
    }

    /** Connections closed by the server that have not finished their close handshake yet. */
    public int closingCount() {
        return closing.size();
    }

    /** Sweeps every connection at {@code now} (the whole period's slices at once). */
    void sweep(Hub hub, long now) {
        sweep(hub, now, 1, 0);
    }

    /**
     * Sweeps, at {@code now}, the connections of one slice when the period is cut into {@code slices}: those admitted
     * into a slice congruent to {@code slice} modulo {@code slices}. With {@code slices} below {@link #SLICES} several
     * admission slices are swept together.
     */
    void sweep(Hub hub, long now, int slices, int slice) {
        long nowMillis = System.currentTimeMillis();
        hub.forEachConnection(c -> {
            if (c.sweepSlice() % slices == slice) {
                sweepOne(hub, c, now, nowMillis);
            }
        });
        for (Connection c : closing) {
            if (c.readerEnded()) {
                closing.remove(c);
            } else if (now - c.closeDeadlineNanos() > 0) {
                hub.end(c, Ending.CLOSE_UNANSWERED, CloseCodes.ABNORMAL, "close not answered in time");
                closing.remove(c);
            }
        }
    }

    private void sweepOne(Hub hub, Connection c, long now, long nowMillis) {
        if (c.readerEnded()) {
            hub.end(c, Ending.PEER_LEFT, CloseCodes.ABNORMAL, "connection lost");
            return;
        }
        long writeStarted = c.outbox().writeStartedNanos();
        if (writeStarted != 0 && now - writeStarted > writeTimeoutNanos) {
            hub.slow(c, true);
            return;
        }
        if (c.tokenExpired(nowMillis)) {
            LOG.log(Level.INFO, () -> "event=token-expired user=" + c.userId() + " conn=" + c.id());
            hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.UNAUTHORIZED, "token expired");
            return;
        }
        long outstanding = c.pingOutstandingSinceNanos();
        if (outstanding != 0 && c.readSince(outstanding)) {
            c.heard();   // part of a long message arrived: an answer, though the message is not whole yet
            outstanding = 0;
        }
        if (outstanding != 0 && now - outstanding > timeoutNanos) {
            stats.heartbeatTimeouts.increment();
            LOG.log(Level.INFO, () -> "event=heartbeat-timeout user=" + c.userId() + " conn=" + c.id());
            hub.end(c, Ending.CLOSE_NOW, CloseCodes.GOING_AWAY, "heartbeat timeout");
            return;
        }
        if (now - c.nextPingNanos() >= 0) {
            // Due half a sweep period early: this slice comes round again one period later, so the next ping goes
            // out one interval after this one (PROTOCOL.md "Keepalive": "every heartbeat interval"), not a period
            // after the interval, as when the due time fell just past a sweep.
            c.pinged(now, intervalNanos - periodNanos / 2);
            hub.reply(c, CONTROL_PING);
            hub.reply(c, Frames.ping());
        }
    }

    private void sweepSafely(Hub hub, int slices, int slice) {
        try {
            sweep(hub, System.nanoTime(), slices, slice);
        } catch (RuntimeException e) {
            // The timer must survive anything one connection throws, or keepalive stops for all.
            LOG.log(Level.WARNING, "keepalive sweep failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
