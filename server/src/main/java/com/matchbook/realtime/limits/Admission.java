package com.matchbook.realtime.limits;

import java.util.OptionalLong;

/**
 * How fast this node lets new sockets in ({@code matchbook.limits.connections-per-second}), and whether it lets any
 * in at all (not while draining). A reconnect storm is paced by 503 + Retry-After instead of melting the node.
 * Each upgrade asks once ({@link #admit()}), and the answer carries its own Retry-After, so the refusal and the delay
 * it names come from one look at the bucket.
 */
public final class Admission {
    private static final long DRAIN_RETRY_SECONDS = 5;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TokenBucket bucket;
    private volatile boolean draining;

    public Admission(int perSecond) {
        // Burst of one second's worth: a restart's first wave is admitted at once, the rest paced.
        this.bucket = new TokenBucket(perSecond, perSecond, System.nanoTime());
    }

    /**
     * Takes a slot for one new socket.
     *
     * @return empty when admitted; otherwise the seconds the client should wait (Retry-After's unit, at least 1)
     */
    public synchronized OptionalLong admit() {
        if (draining) {
            return OptionalLong.of(DRAIN_RETRY_SECONDS);
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
