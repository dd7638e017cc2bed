package com.matchbook.realtime.limits;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Notices a listener that stopped listening, which Helidon 4.5.0 does not report: after a fatal {@code accept}
 * failure its listener thread closes the server socket and then hangs, so no exception, callback or exit follows.
 * Every period this connects to the node's own port, as a supervisor's TCP probe would: only "connection
 * refused" twice in a row counts (a busy node leaves the connection waiting in the backlog, and a node out of
 * descriptors cannot open the probe; neither is a dead listener).
 * <p>
 * What happens then is the caller's choice; {@code Main} exits non-zero so a supervisor restarts the node (see the
 * README's security section for why not an in-process restart).
 */
public final class ListenerWatch implements AutoCloseable {
    private static final int REFUSALS_TO_CALL_IT_DEAD = 2;

    private final InetSocketAddress target;
    private final Duration period;
    private final Runnable onDead;
    private final Thread thread;
    private volatile boolean closed;

    private ListenerWatch(InetSocketAddress target, Duration period, Runnable onDead) {
        this.target = target;
        this.period = period;
        this.onDead = onDead;
        this.thread = Thread.ofPlatform().daemon().name("matchbook-listener-watch").unstarted(this::watch);
    }

    /**
     * @param host   the listener's configured host; a wildcard ({@code 0.0.0.0}, {@code ::}) is probed on loopback
     * @param port   the bound port
     * @param period how often the port is probed, and how long one probe waits ({@code Settings.Timings})
     * @param onDead run once, on the watch's thread, when the listener is found dead
     */
    public static ListenerWatch start(String host, int port, Duration period, Runnable onDead) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (address.isAnyLocalAddress()) {
            address = InetAddress.getLoopbackAddress();
        }
        ListenerWatch watch = new ListenerWatch(new InetSocketAddress(address, port), period, onDead);
        watch.thread.start();
        return watch;
    }

    private void watch() {
        int refusedInARow = 0;
        while (!closed) {
            LockSupport.parkNanos(period.toNanos());
            if (closed) {
                return;
            }
            refusedInARow = listening() ? 0 : refusedInARow + 1;
            if (refusedInARow >= REFUSALS_TO_CALL_IT_DEAD) {
                onDead.run();
                return;
            }
        }
    }

    private boolean listening() {
        try (Socket probe = new Socket()) {
            probe.connect(target, (int) period.toMillis());
            return true;
        } catch (ConnectException e) {
            return !e.getMessage().contains("refused");
        } catch (IOException e) {
            return true;   // timed out in a full backlog, or no descriptor for the probe: still listening
        }
    }

    /** Before a deliberate stop, so the closed socket is not taken for a dead listener. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
