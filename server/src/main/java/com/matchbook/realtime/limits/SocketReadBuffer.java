package com.matchbook.realtime.limits;

import java.lang.reflect.Field;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PlainSocket;

/**
 * Gives each accepted socket a 1 KiB read buffer instead of the 8 KiB that Helidon 4.5's {@code PlainSocket}
 * allocates in its constructor and keeps for the socket's whole life. That buffer is the largest single thing an idle
 * WebSocket holds (8,208 of its ~19,000 heap bytes, measured with {@code bench/heap/idle-histogram.sh}), and it is
 * only scratch space: {@code PlainSocket.get()} reads at most its length from the socket and returns a copy of what it
 * read, so a shorter buffer changes nothing but how many bytes one read call can return. Request heads and client
 * frames are far smaller than 1 KiB; a bigger body is read in more calls.
 *
 * <p>Helidon offers no setting for it (the size is a constant, the field private and final, in 4.5.0 up to its
 * current main), so the field is replaced by reflection, on the socket's own thread before its first read. If that
 * is not possible (another Helidon that renamed it, or a JDK that refuses to write final fields), nothing changes but
 * the memory: the first failure is logged once at INFO and the 8 KiB buffer stays.
 */
final class SocketReadBuffer {
    /** Bytes one read of the socket can return at most; PlainSocket's own is 8,192. */
    static final int BYTES = 1024;
    private static final System.Logger LOG = System.getLogger(SocketReadBuffer.class.getName());
    private static final PlainSocketFields.Refusal REFUSAL = new PlainSocketFields.Refusal(
            LOG, "event=read-buffer-kept: each socket keeps Helidon's 8 KiB read buffer");
    private static final Field FIELD = PlainSocketFields.find("readBuffer", byte[].class, REFUSAL);

    private SocketReadBuffer() {
    }

    /**
     * Replaces {@code socket}'s read buffer with a {@link #BYTES}-byte one. Call before anything reads the socket.
     *
     * @return whether it was replaced (false for another kind of socket, or when reflection is refused)
     */
    static boolean shrink(HelidonSocket socket) {
        if (FIELD == null || !(socket instanceof PlainSocket)) {
            return false;
        }
        try {
            if (((byte[]) FIELD.get(socket)).length > BYTES) {
                FIELD.set(socket, new byte[BYTES]);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            REFUSAL.log(e);
            return false;
        }
    }
}
