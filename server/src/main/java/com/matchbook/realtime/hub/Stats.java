package com.matchbook.realtime.hub;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

import com.matchbook.realtime.protocol.CloseCodes;

/** Live counters of this node, read by {@code /api/stats} and the metrics registry. */
public final class Stats {
    private final long startedMillis = System.currentTimeMillis();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder opened = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder slowConsumers = new LongAdder();
    final LongAdder heartbeatTimeouts = new LongAdder();
    final LongAdder replayed = new LongAdder();
    // Refusals by cause, for the console and /metrics: which fence turned people away.
    final LongAdder refusedAdmission = new LongAdder();
    final LongAdder refusedOrigin = new LongAdder();
    final LongAdder refusedToken = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder commits = new LongAdder();
    final LongAdder commitNanos = new LongAdder();
    private volatile LongConsumer commitTimer = nanos -> { };

    public void messageIn() {
        messagesIn.increment();
    }

    public void refused() {
        refused.increment();
    }

    /**
     * A socket refused with this close code: 1008 is an origin, 4001/4003 a token, anything else (4029 too many
     * connections, 4000 a bad handshake) admission. PROTOCOL.md "Close codes".
     */
    public void refused(int code) {
        refused.increment();
        switch (code) {
            case CloseCodes.POLICY -> refusedOrigin.increment();
            case CloseCodes.UNAUTHORIZED, CloseCodes.FORBIDDEN -> refusedToken.increment();
            default -> refusedAdmission.increment();
        }
    }

    /** A message or frame refused by a rate limit (HTTP 429, or a socket cut with 4029 for its frame rate). */
    public void rateLimited() {
        rateLimited.increment();
    }

    /** A message became durable this long (nanoseconds) after it was accepted. */
    public void committed(long nanos) {
        commits.increment();
        commitNanos.add(nanos);
        commitTimer.accept(nanos);
    }

    /** Where commit latencies (nanoseconds) also go: the metrics registry's timer, set once at start. */
    public void timeCommitsWith(LongConsumer timer) {
        this.commitTimer = timer;
    }

    public long refusedAdmission() {
        return refusedAdmission.sum();
    }

    public long refusedOrigin() {
        return refusedOrigin.sum();
    }

    public long refusedToken() {
        return refusedToken.sum();
    }

    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    /** Messages made durable by the store. */
    public long commits() {
        return commits.sum();
    }

    /** Sum of the commits' latencies, nanoseconds: with {@link #commits} the mean commit latency. */
    public long commitNanos() {
        return commitNanos.sum();
    }

    public long messagesIn() {
        return messagesIn.sum();
    }

    public long messagesOut() {
        return messagesOut.sum();
    }

    public long opened() {
        return opened.sum();
    }

    public long closed() {
        return closed.sum();
    }

    public long refusedCount() {
        return refused.sum();
    }

    public long slowConsumers() {
        return slowConsumers.sum();
    }

    public long heartbeatTimeouts() {
        return heartbeatTimeouts.sum();
    }

    public long replayed() {
        return replayed.sum();
    }

    public long uptimeMs() {
        return System.currentTimeMillis() - startedMillis;
    }
}
