package com.matchbook.realtime.limits;

import java.lang.System.Logger.Level;
import java.net.InetAddress;

import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/** One connection's state in {@link ConnectionGuard}: written by the connection's own thread, read by the sweeper. */
final class TrackedConnection {
    private static final System.Logger LOG = System.getLogger(TrackedConnection.class.getName());

    /** See {@link ConnectionGuard} for what each phase waits for and its deadline. */
    enum Phase { HEAD, REQUEST, BODY, IDLE, LINGER }

    final ConnectionContext ctx;
    final InetAddress peer;
    final boolean admitted;
    volatile InetAddress counted;
    volatile Phase phase;
    volatile long deadline;
    volatile boolean routed;
    boolean lingers;
    /** Set by the sweeper before it cuts a body that came too slowly, so the reader knows why its read failed. */
    volatile boolean bodyCut;
    /** The phase a body read interrupted (REQUEST in a handler, IDLE when Helidon drains an unread body). */
    Phase beforeBody;
    /** Helidon's HTTP/1 connection for this socket (absent while refusing). */
    volatile ServerConnection connection;

    TrackedConnection(ConnectionContext ctx, InetAddress peer, InetAddress counted, boolean admitted) {
        this.ctx = ctx;
        this.peer = peer;
        this.counted = counted;
        this.admitted = admitted;
    }

    void arm(Phase next, long deadlineNanos) {
        deadline = 0;   // never a stale deadline with a new phase
        phase = next;
        deadline = deadlineNanos;
    }

    /** Closes the socket under the blocked reader; its thread then ends the connection as for a lost client. */
    void cut() {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            LOG.log(Level.TRACE, "closing a timed-out socket failed", e);
        }
    }
}
