package com.matchbook.realtime.limits;

/**
 * A token bucket: {@code rate} tokens per second, holding at most {@code capacity}. Written here rather than taken
 * from a rate-limiting library because one lives in every connection: two doubles and a long, no clock object, no
 * allocation per call. Not thread-safe by itself; callers that share one synchronize.
 */
public final class TokenBucket {
    private final double tokensPerNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double perSecond, double capacity, long nowNanos) {
        this.tokensPerNano = perSecond / 1_000_000_000d;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    public boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until one token is there (0 if one is). */
    public long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / tokensPerNano);
    }

    /** Whether the bucket has been full long enough that forgetting it changes nothing. */
    public boolean full(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastNanos = nowNanos;
        }
    }
}
