package com.matchbook.bench.helidon;

import io.helidon.websocket.WsSession;

/**
 * One socket of a user. Its own thread answers it and any sender's thread delivers to it; Helidon's session takes
 * its own send lock (4.5.0), so frames from two threads never interleave on the socket.
 */
final class Peer {
    private final WsSession session;
    private final Runnable gone;

    /** @param gone called when a write fails: Helidon 4.5.0 tells no listener when a client drops the connection */
    Peer(WsSession session, Runnable gone) {
        this.session = session;
        this.gone = gone;
    }

    /** Writes one text frame, blocking while the socket is full; a failed write drops the frame (a bare hub keeps nothing). */
    void send(String json) {
        try {
            session.send(json, true);
        } catch (RuntimeException e) {
            gone.run();
        }
    }
}
