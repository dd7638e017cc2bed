package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Fetches a fresh token shortly before the current one expires and hands it over (the connection sends it in an
 * {@code auth} frame). If none comes, the server closes with 4001 at expiry and the reconnect asks the supplier
 * again, so a failure here is only logged. Used on the loop; the supplier runs on a virtual thread, since it may
 * block on a network call.
 */
final class TokenRefresher {
    private static final System.Logger LOG = System.getLogger(TokenRefresher.class.getName());
    /** A supplier that keeps returning nearly expired tokens must not make this spin. */
    private static final long MIN_DELAY_MS = 1_000;

    private final Supplier<String> tokens;
    private final long aheadMs;
    private final Loop loop;
    private final Loop.Timer timer;
    /** Bumped by schedule and cancel, so a token that arrives after either is dropped. */
    private long epoch;

    TokenRefresher(Supplier<String> tokens, Duration ahead, Loop loop) {
        this.tokens = tokens;
        this.aheadMs = ahead.toMillis();
        this.loop = loop;
        this.timer = loop.timer();
    }

    /** Plans the refresh of {@code current}; does nothing for a token without a readable {@code exp}. */
    void schedule(String current, Consumer<String> onFresh) {
        long mine = ++epoch;
        Optional<Instant> expiry = Jwt.expiry(current);
        if (expiry.isEmpty()) {
            timer.clear();
            return;
        }
        long delayMs = Math.max(MIN_DELAY_MS, expiry.get().toEpochMilli() - System.currentTimeMillis() - aheadMs);
        timer.start(delayMs, () -> Thread.ofVirtual().name("matchbook-token-refresh").start(() -> {
            try {
                String fresh = tokens.get();
                loop.execute(() -> {
                    if (mine == epoch) {
                        onFresh.accept(fresh);
                    }
                });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=token-refresh-failed", e);
            }
        }));
    }

    void cancel() {
        epoch++;
        timer.clear();
    }
}
