package com.matchbook.bench.helidon;

import java.util.concurrent.locks.ReentrantLock;

import io.helidon.websocket.WsSession;

/**
 * One socket of a user. Its own thread answers it and any sender's thread delivers to it, so writes take a lock:
 * Helidon's session writes a frame in several socket writes, which must not interleave.
 */
final class Peer {
    private final WsSession session;
    private final ReentrantLock writing = new ReentrantLock();

    Peer(WsSession session) {
        this.session = session;
    }

    /** Writes one text frame, blocking while the socket is full; a failed write drops the frame (a bare hub keeps nothing). */
    void send(String json) {
        writing.lock();
        try {
            session.send(json, true);
        } catch (RuntimeException e) {
            // the socket is gone: its own thread sees the close
        } finally {
            writing.unlock();
        }
    }
}
