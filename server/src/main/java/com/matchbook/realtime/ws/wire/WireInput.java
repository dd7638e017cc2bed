package com.matchbook.realtime.ws.wire;

import io.helidon.common.buffers.DataReader;
import io.helidon.webserver.ConnectionContext;

/**
 * The bytes a client sends after the upgrade, as {@link WireConnection} reads them: blocking reads of one byte or of an
 * exact count, and "whatever is there, at least one byte". At the end of the stream every method throws
 * {@link DataReader.InsufficientDataAvailableException}; a failed read throws an unchecked exception
 * ({@link java.io.UncheckedIOException} or Helidon's {@code ServerConnectionException}); an interrupt closes the
 * socket, as the JDK's blocking sockets do.
 *
 * <p>Two kinds: {@link ChannelInput} reads the socket's channel itself (a plain TCP socket, the usual case), and
 * {@link #over(DataReader)} reads through Helidon's reader (TLS, or a Helidon whose socket cannot be taken over:
 * {@link UpgradedSocket}). Why the first exists: memory per idle connection (docs/performance.md, "Where an idle
 * connection's bytes go"). An idle WebSocket's virtual thread is parked inside a read, and its parked stack is the
 * largest thing it holds; Helidon's read path ({@code DataReader}, its exception-mapping supplier,
 * {@code PlainSocket}, {@code IdleInputStream}, the socket's stream) puts seven more frames in it than reading the
 * channel does, and does nothing there a WebSocket needs (measured with {@code bench/heap/idle-histogram.sh}).
 */
interface WireInput {
    /** One byte, 0-255, waiting for it. */
    int read();

    /** Exactly {@code n} bytes (n >= 1), waiting for all of them, in a new array that is the caller's to keep. */
    byte[] readBytes(int n);

    /** Waits until at least one byte is buffered, and returns how many are (>= 1), without consuming them. */
    int awaitAvailable();

    /** Drops {@code n} bytes, at most what {@link #awaitAvailable()} last returned. */
    void skip(int n);

    /**
     * The input of an upgraded connection: its socket's channel when {@link UpgradedSocket} can take it over, else
     * Helidon's reader. Bytes Helidon had already read past the upgrade request (a client may send its first frames
     * in the same packet) come first either way.
     */
    static WireInput of(ConnectionContext ctx) {
        DataReader reader = ctx.dataReader();
        return UpgradedSocket.takeOver(ctx.serverSocket())
                .<WireInput>map(s -> {
                    int early = reader.available();
                    return new ChannelInput(s.channel(), s.readBuffer(), early > 0 ? reader.readBytes(early) : null);
                })
                .orElseGet(() -> over(reader));
    }

    /** Reads through Helidon's {@link DataReader}, unchanged. */
    static WireInput over(DataReader reader) {
        return new WireInput() {
            @Override
            public int read() {
                return reader.read() & 0xFF;
            }

            @Override
            public byte[] readBytes(int n) {
                return reader.readBytes(n);
            }

            @Override
            public int awaitAvailable() {
                reader.ensureAvailable();
                return reader.available();
            }

            @Override
            public void skip(int n) {
                reader.skip(n);
            }
        };
    }
}
