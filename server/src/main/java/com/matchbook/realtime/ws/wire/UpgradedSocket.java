package com.matchbook.realtime.ws.wire;

import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Optional;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PlainSocket;

import com.matchbook.realtime.limits.PlainSocketFields;

/**
 * What the frame reader takes over from Helidon's socket once a connection is upgraded: the TCP socket's channel, to
 * read it without Helidon's read path ({@link WireInput} says why), and the socket's read buffer, which is swapped for
 * a {@link #READ_BYTES}-byte one (after the upgrade nothing of Helidon's reads that socket again, so its 1 KiB buffer
 * would only sit under every idle connection).
 *
 * <p>Helidon 4.5's {@code PlainSocket} keeps both in private final fields and offers no accessor, so they are read and
 * written by reflection, as {@code SocketReadBuffer} writes the buffer at accept. Only a plain TCP socket of the server
 * is taken over: a TLS socket ({@code isSecure()}, whose bytes need decrypting) or one without a channel is not. When
 * reflection is refused (another Helidon that renamed the fields, a JDK that forbids it) the first failure is logged
 * once at INFO and every connection reads through Helidon's reader, as before, with the memory that costs.
 *
 * @param channel    the socket's channel, in blocking mode
 * @param readBuffer the frame reader's scratch space, {@link #READ_BYTES} long, now also the socket's read buffer
 */
record UpgradedSocket(SocketChannel channel, byte[] readBuffer) {
    private static final System.Logger LOG = System.getLogger(UpgradedSocket.class.getName());
    private static final PlainSocketFields.Refusal REFUSAL = new PlainSocketFields.Refusal(
            LOG, "event=socket-kept: WebSockets read through Helidon's reader");
    private static final Field SOCKET = PlainSocketFields.find("delegate", Socket.class, REFUSAL);
    private static final Field BUFFER = PlainSocketFields.find("readBuffer", byte[].class, REFUSAL);

    /**
     * Bytes one read of an upgraded socket returns at most. Why 256: an idle connection keeps this array for its
     * whole life, and the frames clients send are smaller (a chat {@code send} with its idempotency key is about 150
     * bytes, receipts and typing less), so one read still takes a whole frame. A longer frame costs one read more:
     * once its header is in, the rest of its payload is read straight into the payload's own array
     * ({@link ChannelInput#readBytes}), in one read when it has all arrived. 1 KiB, Helidon's HTTP reads after
     * {@code SocketReadBuffer}, cost 768 bytes more per idle connection (docs/performance.md, "Where an idle
     * connection's bytes go").
     */
    static final int READ_BYTES = 256;

    /** The channel and buffer of {@code socket}, or empty when it is not a plain TCP socket that can be taken over. */
    static Optional<UpgradedSocket> takeOver(HelidonSocket socket) {
        if (SOCKET == null || BUFFER == null || socket.getClass() != PlainSocket.class || socket.isSecure()) {
            return Optional.empty();
        }
        try {
            SocketChannel channel = ((Socket) SOCKET.get(socket)).getChannel();
            if (channel == null || !channel.isBlocking()) {
                return Optional.empty();
            }
            byte[] buffer = new byte[READ_BYTES];
            BUFFER.set(socket, buffer);   // drops the 1 KiB one; the socket's own reads would share ours, but none come
            return Optional.of(new UpgradedSocket(channel, buffer));
        } catch (ReflectiveOperationException | RuntimeException e) {
            REFUSAL.log(e);
            return Optional.empty();
        }
    }
}
