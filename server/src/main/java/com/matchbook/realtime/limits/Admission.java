package com.matchbook.realtime.limits;

/**
 * How fast this node lets new sockets in ({@code matchbook.limits.connections-per-second}), and whether it lets any
 * in at all (not while draining). A reconnect storm is paced by 503 + Retry-After instead of melting the node.
 */
public final class Admission {
    private final TokenBucket bucket;
    private volatile boolean draining;

    public Admission(int perSecond) {
        // Burst of one second's worth: a restart's first wave is admitted at once, the rest paced.
        this.bucket = new TokenBucket(perSecond, perSecond, System.nanoTime());
    }

    public synchronized boolean tryAdmit() {
        return !draining && bucket.tryTake(System.nanoTime());
    }

    /** Seconds a refused client should wait (the Retry-After header's unit). */
    public synchronized long retryAfterSeconds() {
        if (draining) {
            return 5;
        }
        return Math.max(1, (bucket.nanosUntilToken(System.nanoTime()) + 999_999_999L) / 1_000_000_000L);
    }

    /** Whether upgrades are being refused right now (drain, or over the rate). */
    public synchronized boolean refusing() {
        return draining || bucket.nanosUntilToken(System.nanoTime()) > 0;
    }

    public void drain() {
        draining = true;
    }
}
