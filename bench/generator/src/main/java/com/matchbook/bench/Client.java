package com.matchbook.bench;

import java.util.SplittableRandom;

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
    /**
     * The backoff's draws: client {@code i}'s {@code k}-th wait depends only on {@code i} and the draw set in use
     * when the client was made ({@link #useDrawSet}), so within one repetition every server's crowd meets the same
     * luck (common random numbers), as every other random choice of the generator is seeded, and the servers'
     * all-back times differ only where the servers answered an attempt differently. Each repetition uses another
     * set, so that {@code --repeat N} samples N draws instead of one.
     */
    private final SplittableRandom backoff;

    Client(int index, boolean slow) {
        this.index = index;
        this.user = "u" + index;
        this.slow = slow;
        this.backoff = new SplittableRandom(drawSet * 0x9E37_79B9_7F4A_7C15L + index);
    }

    /** Set before each repetition by {@link Main}; read when a client is made (on the scenario's own thread). */
    private static volatile long drawSet = 1;

    /** The backoff draws of the clients made from now on: repetition {@code r} uses set {@code base + r}. */
    static void useDrawSet(long set) {
        drawSet = set;
    }

    /**
     * The wait before the next reconnect, and counts the attempt: full jitter, uniform in {@code [0, ceiling)} with the
     * ceiling {@code baseMs} doubled once per attempt since the last welcome, at most {@code capMs}; after a server's
     * hint ({@link #hintMs}), the hint plus up to {@code baseMs}, and the hint is used up.
     *
     * @return milliseconds to wait
     */
    long nextBackoffMs(long baseMs, long capMs) {
        long ceiling = Math.min(capMs, baseMs << Math.min(attempt, 16));
        long delay = hintMs > 0 ? hintMs + backoff.nextLong(baseMs) : backoff.nextLong(ceiling);
        hintMs = 0;
        attempt++;
        return delay;
    }
}
