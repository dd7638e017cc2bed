package com.matchbook.realtime.hub;

/** The hub's outward events, unheard: tests without a backend or metrics. */
final class QuietEvents implements HubEvents {
    @Override
    public void presenceChanged(String userId) {
    }

    @Override
    public void delivered(long latencyNanos) {
    }
}
