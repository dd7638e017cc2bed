package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential backoff with full jitter, the same rule as the browser client. A uniformly random
 * delay below a ceiling that doubles per attempt spreads a crowd of clients (all dropped by one restart) over the
 * whole window instead of bringing them back in the same second.
 *
 * @param base the ceiling of the first retry (attempt 0)
 * @param cap  the ceiling never grows past this
 */
public record Backoff(Duration base, Duration cap) {
    /** 500 ms doubling up to 30 s, as in the browser client. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + base + ", cap " + cap);
        }
    }

    /**
     * {@code floor(random * min(cap, base * 2^attempt))}: a pure function, so it is tested with literal sequences.
     *
     * @param attempt retries since the connection last stayed up, from 0
     * @param random  returns a value in [0, 1), like {@link Math#random()}
     * @return the delay before the next attempt, in milliseconds
     */
    public long delayMs(int attempt, DoubleSupplier random) {
        // 2^attempt becomes Infinity for big attempts; min() with the cap keeps that harmless (base > 0, so no NaN).
        double ceilingMs = Math.min(cap.toMillis(), base.toMillis() * Math.pow(2, Math.max(0, attempt)));
        return (long) Math.floor(random.getAsDouble() * ceilingMs);
    }
}
