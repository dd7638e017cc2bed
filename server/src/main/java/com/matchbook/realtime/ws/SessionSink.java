package com.matchbook.realtime.ws;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.matchbook.realtime.hub.FrameSink;
import com.matchbook.realtime.message.OutFrame;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

/** Writes frames through Helidon's session. Only the connection's outbox drain calls it. */
final class SessionSink implements FrameSink {
    /** RFC 6455 5.5: a control frame's payload, so a close reason, fits in 125 bytes (2 go to the code). */
    private static final int MAX_REASON_BYTES = 123;

    private final WsSession session;
    private final Thread reader;

    SessionSink(WsSession session, Thread reader) {
        this.session = session;
        this.reader = reader;
    }

    @Override
    public void write(List<OutFrame> frames) {
        for (OutFrame f : frames) {
            switch (f.kind()) {
                case TEXT -> session.send(f.text(), true);
                case BINARY -> session.send(BufferData.create(f.bytes()), true);
                case PING -> session.ping(BufferData.empty());
                case PONG -> session.pong(BufferData.create(f.bytes()));
            }
        }
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, truncate(reason));
    }

    /**
     * The reading thread is a virtual thread blocked on the socket; interrupting it closes the socket (JEP 444), which
     * also fails any write blocked on a full TCP window, and ends Helidon's connection loop.
     */
    @Override
    public void terminate() {
        reader.interrupt();
    }

    static String truncate(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = reason.length();
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            end--;
        }
        return reason.substring(0, end);
    }
}
