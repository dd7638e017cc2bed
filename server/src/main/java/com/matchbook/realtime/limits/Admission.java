package com.matchbook.realtime.limits;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * How fast this node lets new sockets in ({@code matchbook.limits.connections-per-second}), and whether it lets any
 * in at all (not while draining). A reconnect storm is paced by 503 + Retry-After instead of melting the node.
 * Each upgrade asks once ({@link #admit()}), and the answer carries its own Retry-After, so the refusal and the delay
 * it names come from one look at the bucket.
 */
public final class Admission {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TokenBucket bucket;
    private final long drainRetrySeconds;
    private volatile boolean draining;

    /**
     * @param perSecond   new sockets admitted per second
     * @param drainWindow {@code matchbook.drain-window}: a socket refused while draining is told to come back after it
     *                    (in whole seconds, at least 1), when this node has gone and its address leads elsewhere
     */
    public Admission(int perSecond, Duration drainWindow) {
        // Burst of one second's worth: a restart's first wave is admitted at once, the rest paced.
        this.bucket = new TokenBucket(perSecond, perSecond, System.nanoTime());
        this.drainRetrySeconds = Math.max(1, (drainWindow.toNanos() + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    /**
     * Takes a slot for one new socket.
     *
     * @return empty when admitted; otherwise the seconds the client should wait (Retry-After's unit, at least 1)
     */
    public synchronized OptionalLong admit() {
        if (draining) {
            return OptionalLong.of(drainRetrySeconds);
        }
        long now = System.nanoTime();
        if (bucket.tryTake(now)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (bucket.nanosUntilToken(now) + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND));
    }

    public void drain() {
        draining = true;
    }
}
