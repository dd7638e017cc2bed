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
 * read it without Helidon's read path ({@link WireInput} says why), and the socket's read buffer, so that taking over
 * costs no new buffer (after the upgrade nothing of Helidon's reads that socket again).
 *
 * <p>Helidon 4.5's {@code PlainSocket} keeps both in private final fields and offers no accessor, so they are read by
 * reflection, as {@code SocketReadBuffer} writes the buffer. Only a plain TCP socket of the server is taken over: a TLS
 * socket ({@code isSecure()}, whose bytes need decrypting) or one without a channel is not. When reflection is refused
 * (another Helidon that renamed the fields, a JDK that forbids it) the first failure is logged once at INFO and every
 * connection reads through Helidon's reader, as before, with the memory that costs.
 *
 * @param channel    the socket's channel, in blocking mode
 * @param readBuffer the socket's read buffer (1 KiB once the guard has shrunk it)
 */
record UpgradedSocket(SocketChannel channel, byte[] readBuffer) {
    private static final System.Logger LOG = System.getLogger(UpgradedSocket.class.getName());
    private static final PlainSocketFields.Refusal REFUSAL = new PlainSocketFields.Refusal(
            LOG, "event=socket-kept: WebSockets read through Helidon's reader");
    private static final Field SOCKET = PlainSocketFields.find("delegate", Socket.class, REFUSAL);
    private static final Field BUFFER = PlainSocketFields.find("readBuffer", byte[].class, REFUSAL);

    /** The channel and buffer of {@code socket}, or empty when it is not a plain TCP socket that can be taken over. */
    static Optional<UpgradedSocket> takeOver(HelidonSocket socket) {
        if (SOCKET == null || BUFFER == null || socket.getClass() != PlainSocket.class || socket.isSecure()) {
            return Optional.empty();
        }
        try {
            SocketChannel channel = ((Socket) SOCKET.get(socket)).getChannel();
            byte[] buffer = (byte[]) BUFFER.get(socket);
            if (channel == null || !channel.isBlocking() || buffer.length == 0) {
                return Optional.empty();
            }
            return Optional.of(new UpgradedSocket(channel, buffer));
        } catch (ReflectiveOperationException | RuntimeException e) {
            REFUSAL.log(e);
            return Optional.empty();
        }
    }
}
