package com.matchbook.realtime.limits;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http1.Http1ConnectionListener;

import com.matchbook.realtime.limits.TrackedConnection.Phase;

/**
 * Every open TCP connection of this node, counted (node cap, per-address cap) and timed (request head, keep-alive
 * idle). One owner for the per-connection state: {@link GuardedSelector} opens and releases a
 * {@link TrackedConnection} for each accepted socket, Helidon's HTTP/1 listeners and {@link ConnectionFilter} move it
 * between phases, and one sweeper thread closes those past their deadline.
 * <p>
 * Phases and their deadline ({@code matchbook.limits.header-timeout}, docs/protocol.md 1.1):
 * <pre>
 *   HEAD     accepted, no complete request head yet          accept + header-timeout
 *   REQUEST  head complete: routing, streaming, or upgraded  none (the heartbeat owns WebSocket connections)
 *   BODY     a handler (or Helidon's drain) reads the body    first read + header-timeout + 1 s per
 *                                                            MIN_BODY_BYTES_PER_SECOND received ({@link TimedBody})
 *   IDLE     response done, keep-alive, next head awaited     response end + header-timeout
 *   LINGER   refused: answer written, reading to EOF          the linger (1 s)
 * </pre>
 * A WebSocket leaves HEAD for REQUEST when its upgrade head is complete ({@link #headComplete}) and never returns:
 * only a routed response ({@link #responded}) or a response Helidon writes itself re-arms a deadline, and an upgrade
 * is neither. That transition is the one place the timeout stops applying to an upgraded connection.
 * <p>
 * One class past 300 lines because the counts, the phases and the sweeper change together: splitting admission from
 * timing would put the same connection's state behind two owners.
 */
public final class ConnectionGuard implements AutoCloseable {
    /** The connection being handled on this thread: Helidon runs a connection's requests on its own virtual thread. */
    private static final ThreadLocal<TrackedConnection> CURRENT = new ThreadLocal<>();
    /**
     * The slowest a request body may arrive on average, after its first allowance of {@code header-timeout}: a
     * 1 MiB body over a link of 8 kbit/s still passes (in about 17 minutes); one byte every few seconds does not.
     */
    static final long MIN_BODY_BYTES_PER_SECOND = 1024;

    private final ConnectionLimits limits;
    private final TrustedProxies proxies;
    private final long headerTimeoutNanos;
    private final long lingerNanos;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger lingering = new AtomicInteger();
    private final int maxLingering;
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Set<TrackedConnection> tracked = ConcurrentHashMap.newKeySet();
    private final LongAdder refusedFull = new LongAdder();
    private final LongAdder refusedPerAddress = new LongAdder();
    private final LongAdder headTimeouts = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder bodyTimeouts = new LongAdder();
    private final Thread sweeper;
    private volatile boolean listening = true;
    private volatile boolean closed;

    /**
     * Starts the sweeper. Both timings come from {@code Settings.Timings}.
     *
     * @param linger      how long a refused client gets to read the answer and hang up before its socket is closed
     * @param sweepPeriod how often deadlines are checked: a head is cut at most this late
     */
    public ConnectionGuard(ConnectionLimits limits, Duration linger, Duration sweepPeriod) {
        this.limits = limits;
        this.lingerNanos = linger.toNanos();
        this.proxies = TrustedProxies.parse(limits.trustedProxies());
        this.headerTimeoutNanos = limits.headerTimeout().toNanos();
        this.maxLingering = Math.max(1, DescriptorBudget.refusalBand(limits.maxConnections()) / 2);
        long periodNanos = sweepPeriod.toNanos();
        this.sweeper = Thread.ofPlatform().daemon().name("matchbook-connection-deadlines").unstarted(() -> {
            while (!closed) {
                LockSupport.parkNanos(periodNanos);
                sweep(System.nanoTime());
            }
        });
        sweeper.start();
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Open connections admitted (not counting those being refused). */
    public int open() {
        return open.get();
    }

    /** Connections refused because the node was at {@code max-connections}. */
    public long refusedFull() {
        return refusedFull.sum();
    }

    /** Connections (or requests through a trusted proxy) refused because their address held too many. */
    public long refusedPerAddress() {
        return refusedPerAddress.sum();
    }

    /** Connections closed for not sending a complete first request head within {@code header-timeout}. */
    public long headTimeouts() {
        return headTimeouts.sum();
    }

    /** Keep-alive connections closed for sending no next request within {@code header-timeout}. */
    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    /** Connections closed because a request body did not arrive at the minimum rate (see {@link TimedBody}). */
    public long bodyTimeouts() {
        return bodyTimeouts.sum();
    }

    /** The proxies whose forwarding headers name the client ({@code matchbook.trusted-proxies}). */
    public TrustedProxies trustedProxies() {
        return proxies;
    }

    /** False once the listener was found dead (see {@code ListenerWatch}): {@code /health} then says not ready. */
    public boolean listening() {
        return listening;
    }

    public void listenerDown() {
        listening = false;
    }

    /** The receive listener that sees each request head complete (same thread as the connection). */
    Http1ConnectionListener headListener() {
        return new Http1ConnectionListener() {
            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                headComplete(headers);
            }
        };
    }

    /**
     * The send listener: a status written outside routing (Helidon's own 400 for a malformed head, or any 101) ends
     * the request; a 101 leaves the connection to the protocol it switched to.
     */
    Http1ConnectionListener statusListener() {
        return new Http1ConnectionListener() {
            @Override
            public void status(ConnectionContext ctx, Status status) {
                TrackedConnection t = CURRENT.get();
                if (t != null && t.phase == Phase.REQUEST && !t.routed && status.code() != 101) {
                    t.arm(Phase.IDLE, System.nanoTime() + headerTimeoutNanos);
                }
            }
        };
    }

    /**
     * A new socket from {@code peer}: admitted and tracked (phase HEAD), or refused with the answer to give.
     * Connections from a trusted proxy are counted per address only when their head names the client.
     */
    Admission admit(ConnectionContext ctx, InetAddress peer) {
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refusedFull.increment();
            return refuse(RefusalResponse.full(retryAfterSeconds()));
        }
        InetAddress counted = null;
        if (!proxies.trusts(peer)) {
            if (!countAddress(peer)) {
                open.decrementAndGet();
                refusedPerAddress.increment();
                return refuse(RefusalResponse.perAddress(retryAfterSeconds()));
            }
            counted = peer;
        }
        TrackedConnection t = new TrackedConnection(ctx, peer, counted, true);
        t.arm(Phase.HEAD, System.nanoTime() + headerTimeoutNanos);
        tracked.add(t);
        return new Admission(t, null);
    }

    /**
     * The connection's whole life starts on this thread: {@code t} is its connection until {@link #exited}, which the
     * caller runs in a {@code finally}. Two calls rather than one that takes the work as a lambda: an idle WebSocket's
     * thread stays parked under this frame for its whole life, and each frame below it is memory per connection.
     */
    void entered(TrackedConnection t) {
        CURRENT.set(t);
    }

    /** The connection {@link #entered} on this thread is over: it is released. */
    void exited(TrackedConnection t) {
        CURRENT.remove();
        release(t);
    }

    /** The head of a request is complete: no deadline while it is handled; attribute it to the forwarded client. */
    void headComplete(Headers headers) {
        TrackedConnection t = CURRENT.get();
        if (t == null) {
            return;
        }
        t.routed = false;
        t.arm(Phase.REQUEST, 0);
        if (t.counted == null || proxies.trusts(t.peer)) {
            InetAddress client = proxies.client(t.peer, headers);
            if (!client.equals(t.counted)) {
                if (!countAddress(client)) {
                    refusedPerAddress.increment();
                    // Written here, before Helidon routes or upgrades the request; then the connection ends.
                    RefusalResponse.perAddress(retryAfterSeconds()).writeTo(t.ctx);
                    throw new CloseConnectionException("over matchbook.limits.connections-per-address");
                }
                if (t.counted != null) {
                    uncountAddress(t.counted);
                }
                t.counted = client;
            }
        }
    }

    /**
     * Routing of {@code req} started on this thread's connection (its end is {@link #responded}). A request with a
     * body gets it read through {@link TimedBody}, so a body that trickles in is cut like a slow head.
     */
    void routing(ServerRequest req) {
        TrackedConnection t = CURRENT.get();
        if (t == null) {
            return;
        }
        t.routed = true;
        if (req.headers().contentLength().orElse(0) > 0 || req.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
            req.streamFilter(body -> new TimedBody(body, this, t));
        }
    }

    /** The first read of a body: from now, the body's own deadline (phase BODY) replaces the current phase's. */
    void bodyStarted(TrackedConnection t, long startNanos) {
        Phase phase = t.phase;
        if (phase == Phase.REQUEST || phase == Phase.IDLE) {
            t.beforeBody = phase;
            t.arm(Phase.BODY, startNanos + headerTimeoutNanos);
        }
    }

    /** {@code received} bytes of the body so far: each {@link #MIN_BODY_BYTES_PER_SECOND} buys a second more. */
    void bodyProgress(TrackedConnection t, long startNanos, long received) {
        if (t.phase == Phase.BODY) {
            t.deadline = startNanos + headerTimeoutNanos + (long) (received * (1e9 / MIN_BODY_BYTES_PER_SECOND));
        }
    }

    /** The body was read to its end (or closed): back to the phase it interrupted, a drain's keep-alive re-armed. */
    void bodyFinished(TrackedConnection t) {
        if (t.phase == Phase.BODY) {
            if (t.beforeBody == Phase.IDLE) {
                t.arm(Phase.IDLE, System.nanoTime() + headerTimeoutNanos);
            } else {
                t.arm(Phase.REQUEST, 0);
            }
        }
    }

    /**
     * A routed response is done. With {@code Connection: close} on the request or the response, the connection ends
     * once it is written (RFC 9112 section 9.6): Helidon 4.5 would otherwise read on for a next request; else the
     * next head must come within the header timeout.
     */
    void responded(boolean close) {
        TrackedConnection t = CURRENT.get();
        if (t == null) {
            return;
        }
        if (close) {
            t.arm(Phase.REQUEST, 0);
            // Not interrupting: routing is over, so Helidon's loop ends after this request and closes the socket.
            t.connection.close(false);
            return;
        }
        t.arm(Phase.IDLE, System.nanoTime() + headerTimeoutNanos);
    }

    /**
     * A refused socket to linger on: cut after the linger, not counted as a connection. Empty when half the
     * refusal band is lingering already: under a flood, lingering sockets would fill the band and block accept, so
     * the rest are closed as soon as the answer is written.
     */
    Optional<TrackedConnection> lingering(ConnectionContext ctx, InetAddress peer) {
        if (lingering.incrementAndGet() > maxLingering) {
            lingering.decrementAndGet();
            return Optional.empty();
        }
        TrackedConnection t = new TrackedConnection(ctx, peer, null, false);
        t.lingers = true;
        t.arm(Phase.LINGER, System.nanoTime() + lingerNanos);
        tracked.add(t);
        return Optional.of(t);
    }

    void release(TrackedConnection t) {
        if (!tracked.remove(t)) {
            return;
        }
        if (t.lingers) {
            lingering.decrementAndGet();
        }
        if (t.admitted) {
            open.decrementAndGet();
        }
        if (t.counted != null) {
            uncountAddress(t.counted);
            t.counted = null;
        }
    }

    void sweep(long now) {
        for (TrackedConnection t : tracked) {
            long deadline = t.deadline;
            if (deadline != 0 && now - deadline > 0) {
                Phase phase = t.phase;
                if (phase == Phase.HEAD) {
                    headTimeouts.increment();
                } else if (phase == Phase.IDLE) {
                    idleTimeouts.increment();
                } else if (phase == Phase.BODY) {
                    bodyTimeouts.increment();
                    t.bodyCut = true;
                } else if (phase != Phase.LINGER) {
                    continue;
                }
                t.deadline = 0;
                t.cut();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(sweeper);
    }

    private static Admission refuse(RefusalResponse answer) {
        return new Admission(null, answer);
    }

    private boolean countAddress(InetAddress address) {
        int[] after = new int[1];
        perAddress.compute(address, (k, v) -> {
            int n = v == null ? 1 : v + 1;
            after[0] = n;
            return n;
        });
        if (after[0] > limits.maxPerAddress()) {
            uncountAddress(address);
            return false;
        }
        return true;
    }

    private void uncountAddress(InetAddress address) {
        perAddress.computeIfPresent(address, (k, v) -> v <= 1 ? null : v - 1);
    }

    /** Spread over 2..10 s, so the refused do not all come back in the same second. */
    private static long retryAfterSeconds() {
        return 2 + ThreadLocalRandom.current().nextInt(9);
    }

    /** The verdict on a new socket: admitted ({@code tracked}) or refused ({@code refusal}). */
    record Admission(TrackedConnection tracked, RefusalResponse refusal) {
        boolean admitted() {
            return tracked != null;
        }
    }
}
