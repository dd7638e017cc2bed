package com.matchbook.realtime.ws.wire;

import java.util.List;

/**
 * A session that writes several whole messages with one socket write: with a small TCP send costing about as much
 * as all other work per message, writing what is queued together is the main lever on throughput. Each data message
 * is compressed on its own when permessage-deflate was agreed.
 */
public interface BatchSession {
    /**
     * Writes {@code messages} in order, as one write.
     *
     * @throws java.io.UncheckedIOException when the socket fails
     */
    void sendAll(List<WireFrame> messages);

    /**
     * When the peer's bytes last arrived ({@link System#nanoTime()}), counting every piece of a frame still being
     * read: a client uploading one large message slowly is alive all along, though no whole message has come yet.
     */
    long lastReadNanos();
}
