package com.matchbook.realtime.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseCodes;

/**
 * The one timer of the hub. Each sweep pings the connections that are due, closes those silent past the heartbeat
 * timeout, cuts writes blocked past the write timeout, and reaps sockets that vanished without a close frame
 * (Helidon tells the listener nothing when a peer just disappears). A sweep is a walk over the registry with no I/O:
 * pings and closes go through the outboxes. Built before the hub, which tells it of closes it started
 * ({@link #watchClose}); {@link #start} is handed the hub whose connections it sweeps.
 */
public final class Keepalive implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Keepalive.class.getName());
    private static final OutFrame CONTROL_PING = OutFrame.ping();

    private final Stats stats;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final long writeTimeoutNanos;
    private final Set<Connection> closing = ConcurrentHashMap.newKeySet();
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
    }

    /** The server sent this connection a close frame: it is cut off if the peer does not finish the handshake. */
    void watchClose(Connection c) {
        closing.add(c);
    }

    /** Sweeps the hub's connections from now on, every {@link Timings#keepaliveSweep}. */
    public Keepalive start(Hub hub) {
        long periodNanos = Timings.keepaliveSweep(Duration.ofNanos(intervalNanos), Duration.ofNanos(timeoutNanos))
                .toNanos();
        timer.scheduleAtFixedRate(() -> sweepSafely(hub), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /** Connections closed by the server that have not finished their close handshake yet. */
    public int closingCount() {
        return closing.size();
    }

    void sweep(Hub hub, long now) {
        long nowMillis = System.currentTimeMillis();
        for (Connection c : hub.connections()) {
            if (c.readerEnded()) {
                hub.end(c, Ending.PEER_LEFT, CloseCodes.ABNORMAL, "connection lost");
                continue;
            }
            long writeStarted = c.outbox().writeStartedNanos();
            if (writeStarted != 0 && now - writeStarted > writeTimeoutNanos) {
                hub.slow(c, true);
                continue;
            }
            if (c.tokenExpired(nowMillis)) {
                LOG.log(Level.INFO, () -> "event=token-expired user=" + c.userId() + " conn=" + c.id());
                hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.UNAUTHORIZED, "token expired");
                continue;
            }
            long outstanding = c.pingOutstandingSinceNanos();
            if (outstanding != 0 && now - outstanding > timeoutNanos) {
                stats.heartbeatTimeouts.increment();
                LOG.log(Level.INFO, () -> "event=heartbeat-timeout user=" + c.userId() + " conn=" + c.id());
                hub.end(c, Ending.CLOSE_NOW, CloseCodes.GOING_AWAY, "heartbeat timeout");
                continue;
            }
            if (now - c.nextPingNanos() >= 0) {
                c.pinged(now, intervalNanos);
                hub.reply(c, CONTROL_PING);
                hub.reply(c, Frames.ping());
            }
        }
        for (Connection c : closing) {
            if (c.readerEnded()) {
                closing.remove(c);
            } else if (now - c.closeDeadlineNanos() > 0) {
                hub.end(c, Ending.CLOSE_UNANSWERED, CloseCodes.ABNORMAL, "close not answered in time");
                closing.remove(c);
            }
        }
    }

    private void sweepSafely(Hub hub) {
        try {
            sweep(hub, System.nanoTime());
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
