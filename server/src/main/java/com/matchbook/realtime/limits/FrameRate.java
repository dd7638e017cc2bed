package com.matchbook.realtime.limits;

import com.matchbook.realtime.Settings;

/**
 * The per-connection budget of client frames: {@code matchbook.limits.frames-per-second}, bursts of twice that.
 * A frame over it is refused with an {@code error} frame; a client that keeps sending while refused (another
 * second's worth of frames) is cut off with 4029.
 */
public final class FrameRate {
    /** What the connection should do with one frame. */
    public enum Verdict { ACCEPT, REFUSE, CUT_OFF }

    private final TokenBucket bucket;
    private final int patience;
    private int refusedInARow;

    public FrameRate(int perSecond, long nowNanos) {
        this.bucket = new TokenBucket(perSecond, 2.0 * perSecond, nowNanos);
        this.patience = Math.max(1, perSecond);
    }

    public Verdict check(long nowNanos) {
        if (bucket.tryTake(nowNanos)) {
            refusedInARow = 0;
            return Verdict.ACCEPT;
        }
        refusedInARow++;
        return refusedInARow > patience ? Verdict.CUT_OFF : Verdict.REFUSE;
    }

    /** The contract's reconnect hint for a 4029: enough time for the bucket to be worth reconnecting to. */
    public long retryAfterMs(long nowNanos) {
        return Math.max(Settings.Timings.MIN_RATE_LIMIT_HINT.toMillis(), bucket.nanosUntilToken(nowNanos) / 1_000_000);
    }
}
