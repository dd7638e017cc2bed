package com.matchbook.realtime.limits;

import java.util.concurrent.ConcurrentHashMap;

/** {@code matchbook.limits.sends-per-second} per client IP on {@code /send-message}. */
public final class SendRate {
    /** Buckets of quiet clients are forgotten once the map grows past this. */
    private static final int SWEEP_ABOVE = 10_000;

    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final int perSecond;

    public SendRate(int perSecond) {
        this.perSecond = perSecond;
    }

    /** @return 0 if the call may go ahead, else the seconds to wait */
    public long check(String clientIp) {
        long now = System.nanoTime();
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(b -> {
                synchronized (b) {
                    return b.full(now);
                }
            });
        }
        TokenBucket bucket = buckets.computeIfAbsent(clientIp, ip -> new TokenBucket(perSecond, perSecond, now));
        synchronized (bucket) {
            if (bucket.tryTake(now)) {
                return 0;
            }
            return Math.max(1, (bucket.nanosUntilToken(now) + 999_999_999L) / 1_000_000_000L);
        }
    }
}
