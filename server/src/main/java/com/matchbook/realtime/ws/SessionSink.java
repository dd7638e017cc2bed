package com.matchbook.realtime.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

import com.matchbook.realtime.hub.FrameSink;
import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseReasons;
import com.matchbook.realtime.ws.wire.BatchSession;
import com.matchbook.realtime.ws.wire.WireFrame;

/**
 * Writes a connection's frames. Only the connection's outbox drain calls it. On the project's own wire
 * ({@link BatchSession}, every {@code /ws} connection) a batch goes out as one socket write, compressed when the
 * connection negotiated it; any other session gets one send per frame. Close frames go through the session, which
 * records that a close was sent.
 */
final class SessionSink implements FrameSink {
    private final WsSession session;
    private final Thread reader;

    SessionSink(WsSession session, Thread reader) {
        this.session = session;
        this.reader = reader;
    }

    @Override
    public void write(List<OutFrame> frames) {
        if (session instanceof BatchSession batch) {
            List<WireFrame> wire = new ArrayList<>(frames.size());
            for (OutFrame f : frames) {
                wire.add(wire(f));
            }
            batch.sendAll(wire);
            return;
        }
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
        session.close(code, CloseReasons.truncate(reason));
    }

    /**
     * The reading thread is a virtual thread blocked on the socket; interrupting it closes the socket (JEP 444), which
     * also fails any write blocked on a full TCP window, and ends Helidon's connection loop.
     */
    @Override
    public void terminate() {
        reader.interrupt();
    }

    private static WireFrame wire(OutFrame f) {
        int opcode = switch (f.kind()) {
            case TEXT -> WireFrame.TEXT;
            case BINARY -> WireFrame.BINARY;
            case PING -> WireFrame.PING;
            case PONG -> WireFrame.PONG;
        };
        return new WireFrame(opcode, f.bytes());
    }

    @Override
    public Optional<Thread> reader() {
        return Optional.of(reader);
    }

    @Override
    public boolean readSince(long nanos) {
        return session instanceof BatchSession batch && batch.lastReadNanos() - nanos >= 0;
    }
}
