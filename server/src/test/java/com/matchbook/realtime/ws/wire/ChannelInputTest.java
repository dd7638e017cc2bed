package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Random;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.PlainSocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading an upgraded socket's channel directly gives exactly the bytes the client sent, in order, whatever mix of
 * calls reads them and however the bytes were split; the socket Helidon accepts can be taken over, and one it cannot
 * read that way is left to Helidon's reader. Every wire test of the server (framing, fuzzing, compression) also reads
 * through {@link ChannelInput}.
 */
class ChannelInputTest {

    @Test
    void theServersPlainSocketIsTakenOverWithItsChannelAndASmallerReadBuffer() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            PlainSocket socket = PlainSocket.server(accepted.socket(), "test", "test");
            UpgradedSocket taken = UpgradedSocket.takeOver(socket).orElseThrow(
                    () -> new AssertionError("this Helidon's PlainSocket could not be taken over"));
            assertSame(accepted, taken.channel());
            assertEquals(UpgradedSocket.READ_BYTES, taken.readBuffer().length);
            // The socket's own 1 KiB buffer is let go: the socket now points at the reader's smaller one.
            Field socketsBuffer = PlainSocket.class.getDeclaredField("readBuffer");
            socketsBuffer.setAccessible(true);
            assertSame(taken.readBuffer(), socketsBuffer.get(socket));
        }
    }

    @Test
    void aSocketWithoutAChannelIsLeftToHelidon() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            assertTrue(UpgradedSocket.takeOver(PlainSocket.server(accepted, "test", "test")).isEmpty());
        }
    }

    @Test
    void earlyBytesComeFirstThenTheSocketsWholeAndInOrder() throws Exception {
        byte[] early = {7, 8, 9, 10, 11};
        byte[] sent = new byte[20_000];
        new Random(14).nextBytes(sent);
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            Thread writer = Thread.ofVirtual().start(() -> writeInPieces(client.socket(), sent));
            ChannelInput input = new ChannelInput(accepted, new byte[64], early);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int total = early.length + sent.length;
            // Every kind of call in turn, across the early bytes' end, the buffer's end and reads past its length.
            int step = 0;
            while (received.size() < total) {
                int left = total - received.size();
                switch (step++ % 4) {
                    case 0 -> received.write(input.read());
                    case 1 -> received.writeBytes(input.readBytes(Math.min(left, 3)));
                    case 2 -> received.writeBytes(input.readBytes(Math.min(left, 1_000)));
                    default -> {
                        int n = Math.min(input.awaitAvailable(), left);
                        byte[] chunk = input.readBytes(n);
                        received.writeBytes(chunk);
                    }
                }
            }
            writer.join();
            byte[] expected = new byte[total];
            System.arraycopy(early, 0, expected, 0, early.length);
            System.arraycopy(sent, 0, expected, early.length, sent.length);
            assertArrayEquals(expected, received.toByteArray());
        }
    }

    @Test
    void skipDropsExactlyWhatItIsToldAndNoMoreThanIsBuffered() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            ChannelInput input = new ChannelInput(accepted, new byte[16], new byte[] {1, 2, 3});
            assertEquals(3, input.awaitAvailable());
            assertThrows(IllegalArgumentException.class, () -> input.skip(4));
            input.skip(2);
            assertEquals(3, input.read());
            client.socket().getOutputStream().write(new byte[] {4, 5});
            assertTrue(input.awaitAvailable() >= 1);
            input.skip(1);
            assertEquals(5, input.read());
        }
    }

    @Test
    void theEndOfTheStreamIsTheReadersEndOfData() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(loopback());
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            ChannelInput input = new ChannelInput(accepted, new byte[16], null);
            client.socket().getOutputStream().write(new byte[] {42});
            client.close();
            assertEquals(42, input.read());
            assertThrows(DataReader.InsufficientDataAvailableException.class, input::read);
            assertThrows(DataReader.InsufficientDataAvailableException.class, () -> input.readBytes(100));
        }
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private static void writeInPieces(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            Random sizes = new Random(15);
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + sizes.nextInt(3_000));
                out.write(bytes, at, n);
                out.flush();
                at += n;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
