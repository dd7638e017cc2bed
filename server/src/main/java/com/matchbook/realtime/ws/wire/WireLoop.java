package com.matchbook.realtime.ws.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread that reads many upgraded connections' sockets and runs their frames' handling
 * ({@link WireConnection#readable}), and tells a writer blocked on a full socket when it can go on
 * ({@link WireConnection#writable}). It replaces the connection's own virtual thread parked in a blocking read: that
 * model reads every message twice (the frame, then a read that finds nothing before the thread parks and the JDK's
 * poller re-arms the socket with {@code epoll_ctl}) and wakes a thread per message, where a selector reads once and
 * its registration stays (docs/performance.md, "Reads on a selector thread").
 *
 * <p>Nothing that may block runs here: the socket is non-blocking; a {@code send} to the default stores answers with a
 * future, and the frames whose store calls may wait for the disk ({@code read}, {@code received}, {@code edit},
 * {@code delete}) go to their connection's lane ({@code ws.SerialLane}); every write that starts on this thread (a
 * close frame, an echo, anything a listener sends) is handed to the connection's own thread ({@link WireConnection}).
 * Which configurations may block here anyway: a {@code matchbook.ws.selector-threads} set with the {@code disk} store,
 * whose sends may wait for SQLite (its default is 0 for that reason). Selector and channel calls follow {@link Selector}'s rules: interest changes from other
 * threads are safe, and {@link #wakeup()} makes a select in progress see them.
 */
final class WireLoop {
    private static final System.Logger LOG = System.getLogger(WireLoop.class.getName());
    /**
     * Bytes one read takes from a socket at most: a whole batch of small frames in one call, and a bound on what one
     * busy connection takes of the loop's turn before the next ready socket gets its own.
     */
    static final int READ_BYTES = 64 * 1024;

    private final Selector selector;
    private final ConcurrentLinkedQueue<WireConnection> joining = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BYTES);
    private final byte[] scratch = new byte[READ_BYTES];
    private final Thread thread;
    /** This loop on its own thread, null on every other: {@link WireLoops#onSelectorThread()}. */
    private static final ThreadLocal<WireLoop> CURRENT = new ThreadLocal<>();

    /** Opens the selector and starts the loop's platform thread, a daemon named {@code name}. */
    WireLoop(String name) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + name, e);
        }
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** The loop whose thread calls, or null. */
    static WireLoop current() {
        return CURRENT.get();
    }

    /** Ends the loop: its selector closes, and its thread leaves {@link #run()}. */
    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "event=ws-loop-close-failed loop=" + thread.getName() + " cause=" + e);
        }
    }

    /** Hands {@code c}'s non-blocking channel to this loop; bytes already here are handled at once. */
    void register(WireConnection c) {
        joining.add(c);
        selector.wakeup();
    }

    /** Makes a select in progress return, so that an interest changed by another thread takes effect. */
    void wakeup() {
        selector.wakeup();
    }

    /** Reads what {@code ch} has, up to {@link #READ_BYTES}, onto {@code into}: the bytes read, 0, or -1 at its end. */
    int read(SocketChannel ch, MemoryInput into) throws IOException {
        int n = ch.read(buffer.clear());
        if (n > 0) {
            buffer.flip().get(scratch, 0, n);
            into.append(scratch, 0, n);
        }
        return n;
    }

    private void run() {
        CURRENT.set(this);
        while (selector.isOpen()) {
            try {
                selector.select();
                join();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey k = ready.next();
                    ready.remove();
                    serve(k);
                }
            } catch (ClosedSelectorException e) {
                return;   // close(): the node stops
            } catch (IOException | RuntimeException e) {
                // WireConnection.readable catches what a connection throws; this is the selector's own failure.
                LOG.log(Level.WARNING, "event=ws-loop-failed loop=" + thread.getName(), e);
            }
        }
    }

    /**
     * One ready socket's turn. What escapes the connection's own handling (an {@link Error}: out of memory while a
     * message is assembled) ends that connection, not the loop with every other socket on it.
     */
    private void serve(SelectionKey k) {
        WireConnection c = (WireConnection) k.attachment();
        try {
            if (k.isValid() && k.isWritable()) {
                c.writable();
            }
            if (k.isValid() && k.isReadable()) {
                c.readable(this);
            }
        } catch (CancelledKeyException e) {
            // the connection ended between the check and the call
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "event=ws-loop-connection-failed loop=" + thread.getName(), e);
            c.abandon();
        }
    }

    private void join() {
        WireConnection c;
        while ((c = joining.poll()) != null) {
            try {
                c.registered(c.loopChannel().register(selector, SelectionKey.OP_READ, c));
                c.readable(this);   // bytes that came before the registration raise no event of their own
            } catch (ClosedChannelException e) {
                c.dropped();
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "event=ws-loop-connection-failed loop=" + thread.getName(), e);
                c.abandon();
            }
        }
    }
}
