package com.matchbook.realtime.hub;

import java.util.List;
import java.util.Optional;

import com.matchbook.realtime.message.OutFrame;

/**
 * The socket side of one connection. Only the connection's {@link Outbox} drain calls it, one call at a time.
 */
public interface FrameSink {

    /** Writes the frames in order; may block while the peer's TCP window is full. */
    void write(List<OutFrame> frames) throws Exception;

    /** Writes a close frame. */
    void close(int code, String reason) throws Exception;

    /** Drops the TCP connection at once, without a close handshake. Safe from any thread. */
    void terminate();

    /**
     * The thread reading this socket: once it has ended, the socket is gone whatever the peer said (Helidon tells the
     * listener nothing when a peer just vanishes). Empty for a stream the server only writes (SSE), which cannot
     * answer pings either, so only a failed write tells that it is gone.
     */
    Optional<Thread> reader();

    /**
     * Whether the peer sent any bytes at or after {@code nanos} ({@link System#nanoTime()}), part of a frame included.
     * False when the sink cannot tell (then only whole frames count, through {@code Connection.heard}).
     */
    default boolean readSince(long nanos) {
        return false;
    }
}
