package com.matchbook.realtime.ws.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import io.helidon.common.buffers.DataReader;

/**
 * Reads an upgraded connection's socket channel directly, through the small read buffer that replaced the socket's own
 * at the upgrade ({@link UpgradedSocket}): one {@code read} fills the buffer with whatever has arrived, up to its length,
 * and the frame reader takes bytes from it. The rest of a payload longer than the buffer is read straight into its
 * destination array. Only the connection's own thread reads; the channel's writes (other threads, through the
 * socket's stream) do not share its read lock.
 */
final class ChannelInput implements WireInput {
    private final SocketChannel channel;
    private final byte[] readBuffer;
    /**
     * {@link #readBuffer} as the channel reads it, made once: a parked connection holds it either way (its read is
     * under way), and a new one per read was 1.6% of the bytes allocated per message (docs/performance.md).
     */
    private final ByteBuffer readView;
    /** What is being consumed: the bytes Helidon had already read past the upgrade, then {@link #readBuffer}. */
    private byte[] buffered;
    private int position;
    private int limit;

    /**
     * @param channel    a blocking socket channel
     * @param readBuffer scratch space for reads, its length the most one read returns
     * @param early      bytes already read from the socket that come first, or null
     */
    ChannelInput(SocketChannel channel, byte[] readBuffer, byte[] early) {
        this.channel = channel;
        this.readBuffer = readBuffer;
        this.readView = ByteBuffer.wrap(readBuffer);
        this.buffered = early == null ? readBuffer : early;
        this.limit = early == null ? 0 : early.length;
    }

    /** The channel this reads, in blocking mode until the connection moves to a {@link WireLoop}. */
    SocketChannel channel() {
        return channel;
    }

    /** What is buffered and not consumed yet (bytes a client sent with or right after the upgrade), taken out. */
    byte[] takeBuffered() {
        byte[] rest = Arrays.copyOfRange(buffered, position, limit);
        position = limit;
        return rest;
    }

    @Override
    public int read() {
        if (position == limit) {
            awaitAvailable();
        }
        return buffered[position++] & 0xFF;
    }

    @Override
    public byte[] readBytes(int n) {
        byte[] out = new byte[n];
        int got = Math.min(n, limit - position);
        System.arraycopy(buffered, position, out, 0, got);
        position += got;
        while (got < n) {
            if (n - got >= readBuffer.length) {
                got += readInto(ByteBuffer.wrap(out, got, n - got));
            } else {
                awaitAvailable();
                int more = Math.min(n - got, limit);
                System.arraycopy(buffered, 0, out, got, more);
                position = more;
                got += more;
            }
        }
        return out;
    }

    /**
     * Fills the buffer with one read when it is empty. This is where an idle connection waits
     * ({@link WireConnection} calls it before each frame), so it calls the channel itself rather than through
     * {@link #readInto}: each frame between the connection's loop and the JDK's park stays in the parked thread's
     * stack, once more after each keepalive round, and that helper's frame alone cost about 200 bytes per idle
     * connection (docs/performance.md, "Where an idle connection's bytes go").
     */
    @Override
    public int awaitAvailable() {
        if (position == limit) {
            buffered = readBuffer;
            position = 0;
            limit = 0;
            int n;
            try {
                n = channel.read(readView.clear());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (n < 0) {
                throw new DataReader.InsufficientDataAvailableException();
            }
            limit = n;
        }
        return limit - position;
    }

    @Override
    public void skip(int n) {
        if (n < 0 || n > limit - position) {
            throw new IllegalArgumentException("skip " + n + " of " + (limit - position) + " buffered bytes");
        }
        position += n;
    }

    /** One read of the channel into {@code into}: at least one byte, or the end of the stream, or a failure. */
    private int readInto(ByteBuffer into) {
        try {
            int n = channel.read(into);
            if (n < 0) {
                throw new DataReader.InsufficientDataAvailableException();
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
