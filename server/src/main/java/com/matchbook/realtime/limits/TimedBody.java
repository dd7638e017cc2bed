package com.matchbook.realtime.limits;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import io.helidon.webserver.CloseConnectionException;

/**
 * A request body as a handler reads it, on a deadline kept by {@link ConnectionGuard} (phase BODY): the body must
 * keep arriving at {@link ConnectionGuard#MIN_BODY_BYTES_PER_SECOND} on average after a first allowance of
 * {@code matchbook.limits.header-timeout}, the rule Apache's mod_reqtimeout applies ({@code body=..., MinRate=...}).
 * A client that trickles its body (one byte every few seconds) is cut within that allowance; one that sends a large
 * body over a slow link is not, as long as it keeps the rate.
 * <p>
 * Read on the connection's own thread only (Helidon's HTTP/1 handlers run there), so the counts need no lock; the
 * sweeper only reads the deadline. Once the guard cut the socket, whatever the blocked read throws becomes a
 * {@link CloseConnectionException}: Helidon then ends the connection quietly, with no error answer to write to a
 * closed socket and no stack trace for a client's slowness.
 */
final class TimedBody extends FilterInputStream {
    private final ConnectionGuard guard;
    private final TrackedConnection connection;
    private long startNanos;
    private long received;
    private boolean started;
    private boolean finished;

    TimedBody(InputStream body, ConnectionGuard guard, TrackedConnection connection) {
        super(body);
        this.guard = guard;
        this.connection = connection;
    }

    @Override
    public int read() throws IOException {
        before();
        int b;
        try {
            b = super.read();
        } catch (IOException | RuntimeException e) {
            throw cutOr(e);
        }
        after(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        before();
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException | RuntimeException e) {
            throw cutOr(e);
        }
        after(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Through read, so skipped bytes count towards the rate too.
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(0, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public void close() throws IOException {
        finish();
        super.close();
    }

    private void before() {
        if (!started && !finished) {
            started = true;
            startNanos = System.nanoTime();
            guard.bodyStarted(connection, startNanos);
        }
    }

    private void after(int n) {
        if (n < 0 && connection.bodyCut) {
            // The socket closed under a read that then saw an end of stream: the body is cut, not complete.
            throw cut(null);
        }
        if (finished) {
            return;
        }
        if (n < 0) {
            finish();
            return;
        }
        received += n;
        guard.bodyProgress(connection, startNanos, received);
    }

    private void finish() {
        if (started && !finished) {
            guard.bodyFinished(connection);
        }
        finished = true;
    }

    private static CloseConnectionException cut(Exception cause) {
        return new CloseConnectionException("request body not received in time (matchbook.limits.header-timeout)",
                                            cause);
    }

    private RuntimeException cutOr(Exception e) throws IOException {
        if (connection.bodyCut) {
            return cut(e);
        }
        if (e instanceof IOException io) {
            throw io;
        }
        return (RuntimeException) e;
    }
}
