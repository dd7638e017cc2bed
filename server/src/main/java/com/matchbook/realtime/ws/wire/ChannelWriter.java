package com.matchbook.realtime.ws.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes whole frames to a connection's non-blocking channel once its reads moved to a {@link WireLoop}. A write the
 * socket cannot take at once (the client reads slower than we send) waits for the loop to see the socket writable
 * ({@code OP_WRITE}), as a blocking socket would wait for room: the writing thread parks, the loop does not. Callers
 * hold the connection's write lock, so one writer at most waits here.
 *
 * <p>A wait ends with the socket writable, or with {@link UncheckedIOException} once the channel is closed or taken
 * off its loop ({@link #wake()} when the connection ends), or when the writer is interrupted: then the channel is
 * closed, as an interrupt closes a blocking socket (JEP 444), so the connection ends either way.
 */
final class ChannelWriter {
    /** How often a waiting writer looks at the channel even without a wake-up: a lost one cannot strand it. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SocketChannel channel;
    private final WireLoop loop;
    private volatile SelectionKey key;
    private volatile Thread waiting;
    private volatile boolean canWrite;

    ChannelWriter(SocketChannel channel, WireLoop loop) {
        this.channel = channel;
        this.loop = loop;
    }

    /** The channel's registration with its loop, once the loop made it. */
    void key(SelectionKey k) {
        key = k;
    }

    /**
     * Writes all of {@code frames}, waiting for room as often as the socket needs. A write that fails part way closes
     * the channel: nothing may follow a torn frame on the wire.
     */
    void write(byte[] frames) {
        ByteBuffer b = ByteBuffer.wrap(frames);
        try {
            channel.write(b);
            while (b.hasRemaining()) {
                awaitRoom();
                channel.write(b);
            }
        } catch (IOException e) {
            if (b.position() > 0) {
                closeQuietly();
            }
            throw new UncheckedIOException(e);
        }
    }

    private void closeQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing is all that was left to do
        }
    }

    /** Called by the loop: the socket has room again. */
    void writable() {
        SelectionKey k = key;
        try {
            k.interestOpsAnd(~SelectionKey.OP_WRITE);
        } catch (CancelledKeyException e) {
            // the connection ended meanwhile: the waiting writer finds the key invalid
        }
        canWrite = true;
        wake();
    }

    /** Wakes a waiting writer, which then finds out why (room, or the connection's end). */
    void wake() {
        Thread t = waiting;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void awaitRoom() throws IOException {
        canWrite = false;
        waiting = Thread.currentThread();
        try {
            boolean asked = false;
            while (!canWrite) {
                SelectionKey k = key;
                if (!channel.isOpen() || (k != null && !k.isValid())) {
                    throw new ClosedChannelException();
                }
                if (k != null && !asked) {
                    try {
                        k.interestOpsOr(SelectionKey.OP_WRITE);
                    } catch (CancelledKeyException e) {
                        throw new ClosedChannelException();
                    }
                    loop.wakeup();
                    asked = true;
                }
                LockSupport.parkNanos(this, RECHECK_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    // Kept set, so that a caller that swallows the exception still sees it (when the writer is the
                    // connection's own thread, it then leaves ConnectionTasks.serve).
                    channel.close();
                    throw new ClosedByInterruptException();
                }
            }
        } finally {
            waiting = null;
        }
    }
}
