package com.matchbook.realtime.admin;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies of the current second, as a histogram with four buckets per power of two (within 25% of the true value),
 * emptied by each {@link #drain}. Fixed memory (256 counters); recording is one atomic add on the delivery path.
 *
 * <p>Written by hand because the one library made for this (HdrHistogram) would be a new dependency for 30 lines, and
 * Micrometer's timer (behind {@code /metrics}) gives percentiles over a decaying window, not per second.
 */
public final class LatencyWindow {
    private static final int SUB_BUCKET_BITS = 2;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = 256;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Records one latency, nanoseconds (negative counts as zero). */
    public void record(long nanos) {
        counts.incrementAndGet(index(Math.max(0, nanos) / 1_000));
    }

    /**
     * Takes this second's latencies out and gives their quantiles.
     *
     * @param quantiles each in [0, 1]
     * @return for each quantile the upper bound of its bucket in milliseconds, or NaN for each when nothing was
     *         recorded
     */
    public double[] drain(double... quantiles) {
        long[] taken = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            taken[i] = counts.getAndSet(i, 0);
            total += taken[i];
        }
        double[] out = new double[quantiles.length];
        for (int q = 0; q < quantiles.length; q++) {
            if (total == 0) {
                out[q] = Double.NaN;
                continue;
            }
            long rank = Math.max(1, (long) Math.ceil(quantiles[q] * total));
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += taken[i];
                if (seen >= rank) {
                    out[q] = upperMicros(i) / 1_000.0;
                    break;
                }
            }
        }
        return out;
    }

    static int index(long micros) {
        if (micros < SUB_BUCKETS) {
            return (int) micros;
        }
        int exp = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) ((micros >>> (exp - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1));
        return Math.min(BUCKETS - 1, SUB_BUCKETS + (exp - SUB_BUCKET_BITS) * SUB_BUCKETS + sub);
    }

    static long upperMicros(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int exp = (index - SUB_BUCKETS) / SUB_BUCKETS + SUB_BUCKET_BITS;
        int sub = (index - SUB_BUCKETS) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << (exp - SUB_BUCKET_BITS)) - 1;
    }
}
