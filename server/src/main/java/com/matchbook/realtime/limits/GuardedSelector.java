package com.matchbook.realtime.limits;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Helidon's HTTP/1 connection selector, with {@link ConnectionGuard} in front: the listener's only selector, so
 * Helidon hands every accepted socket to {@link #connection} at once, before reading a byte (with two selectors it
 * would first block reading to tell them apart, and a silent socket would never reach any code of ours).
 */
final class GuardedSelector implements ServerConnectionSelector {
    /** A refused client may send a request of this size while it reads the answer; more is not waited for. */
    private static final int MAX_DISCARD_BYTES = 64 * 1024;

    private final ServerConnectionSelector http1;
    private final ConnectionGuard guard;

    GuardedSelector(ServerConnectionSelector http1, ConnectionGuard guard) {
        this.http1 = http1;
        this.guard = guard;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http1.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        SocketReadBuffer.shrink(ctx.serverSocket());   // before the first read
        InetAddress peer = TrustedProxies.address(ctx.remotePeer());
        ConnectionGuard.Admission admission = guard.admit(ctx, peer);
        if (!admission.admitted()) {
            return new Refused(ctx, peer, admission.refusal());
        }
        TrackedConnection t = admission.tracked();
        ServerConnection connection = http1.connection(ctx);
        t.connection = connection;
        return new Guarded(connection, t);
    }

    /** Helidon's connection, run with the guard's bookkeeping around it. */
    private final class Guarded implements ServerConnection {
        private final ServerConnection delegate;
        private final TrackedConnection tracked;

        Guarded(ServerConnection delegate, TrackedConnection tracked) {
            this.delegate = delegate;
            this.tracked = tracked;
        }

        @Override
        public void handle(Limit limit) throws InterruptedException {
            guard.entered(tracked);
            try {
                delegate.handle(limit);
            } finally {
                guard.exited(tracked);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /**
     * A socket over a cap: the answer is written at once, then the client's bytes are read and dropped until it hangs
     * up or the guard's linger passes. Closing with its request unread would make the kernel send a
     * reset, which can destroy the answer before the client reads it (the "lingering close" of RFC 9112 section 9.6).
     * Under a flood only half the refusal band lingers; the rest are closed right after the answer.
     */
    private final class Refused implements ServerConnection {
        private final ConnectionContext ctx;
        private final InetAddress peer;
        private final RefusalResponse answer;

        Refused(ConnectionContext ctx, InetAddress peer, RefusalResponse answer) {
            this.ctx = ctx;
            this.peer = peer;
            this.answer = answer;
        }

        @Override
        public void handle(Limit limit) {
            Optional<TrackedConnection> lingering = guard.lingering(ctx, peer);
            answer.writeTo(ctx);
            if (lingering.isEmpty()) {
                return;   // Helidon closes the socket now
            }
            TrackedConnection t = lingering.get();
            try {
                DataReader reader = ctx.dataReader();
                int discarded = 0;
                while (discarded < MAX_DISCARD_BYTES) {
                    reader.ensureAvailable();   // throws at end of stream, or when the linger cut closes the socket
                    int n = reader.available();
                    reader.skip(n);
                    discarded += n;
                }
            } catch (RuntimeException e) {
                // end of stream or the socket closed under us: the refusal is done either way
            } finally {
                guard.release(t);
            }
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            ctx.serverSocket().close();
        }
    }
}
