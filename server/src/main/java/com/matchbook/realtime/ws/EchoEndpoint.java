package com.matchbook.realtime.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * {@code /echo}, the conformance endpoint (PROTOCOL.md "Framing and handshake"): every message goes back unchanged,
 * text as text and binary as binary, and every ping gets its pong. Framing, limits and compression are those of
 * {@code /ws} (the same wire layer); no welcome, no pings of our own, no protocol frames. Open only with
 * {@code matchbook.conformance.echo=true}. Stateless: one instance serves every connection.
 */
public final class EchoEndpoint implements WsListener {
    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        session.send(text, last);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        session.send(buffer, last);
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        session.pong(buffer);
    }
}
