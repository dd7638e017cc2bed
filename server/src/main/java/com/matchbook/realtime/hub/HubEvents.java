package com.matchbook.realtime.hub;

/**
 * What the hub tells the rest of the service, handed to it when it is built (in {@code Realtime}): the backend for
 * presence, the metrics for latency. Its own collaborators, {@link Replay} and {@link Keepalive}, are passed to it
 * directly.
 */
public interface HubEvents {

    /**
     * The user's connection count on this node changed. Synchronous; on open, before the history is read (the Redis
     * broker routes the user here from then on).
     */
    void presenceChanged(String userId);

    /** A live message reached its socket this long (nanoseconds) after it was accepted. */
    void delivered(long latencyNanos);
}
