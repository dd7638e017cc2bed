package com.matchbook.realtime.hub;

import java.util.concurrent.atomic.LongAdder;

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

    public void messageIn() {
        messagesIn.increment();
    }

    public void refused() {
        refused.increment();
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
