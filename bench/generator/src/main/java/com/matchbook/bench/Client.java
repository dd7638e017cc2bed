package com.matchbook.bench;

import io.netty.channel.Channel;

/** One simulated user's socket, across reconnects. Only the event loop thread touches it. */
final class Client {
    final int index;
    final String user;
    /** Stops reading when told to (the {@code slow} scenario); its socket gets a small receive buffer. */
    final boolean slow;
    Channel channel;
    boolean welcomed;
    /** Matchbook: the seq of the last message seen, sent back as {@code since=} on reconnect. */
    long lastSeq;
    /** Reconnect attempts since the last welcome: the backoff grows with it. */
    int attempt;
    /** A server's own reconnect hint (503 Retry-After, or {@code retry-after-ms=} in a close reason). */
    long hintMs;
    /** The batch of connects this client is part of, while its first connect is pending. */
    ConnectBatch batch;

    Client(int index, boolean slow) {
        this.index = index;
        this.user = "u" + index;
        this.slow = slow;
    }
}
