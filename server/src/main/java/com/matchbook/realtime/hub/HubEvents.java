package com.matchbook.realtime.hub;

import java.util.OptionalLong;

/**
 * Everything the hub calls outside itself, handed to it when it is built. {@code Realtime} implements it in one place,
 * so a reader sees who answers each event: {@link Replay} for history, {@link Keepalive} for close handshakes, the
 * backend for presence, the metrics for latency.
 */
public interface HubEvents {

    /** A connection was registered: queue its {@code welcome} and history ({@link Replay#start}). */
    void opened(Connection connection, OptionalLong since);

    /** A live connection saw a seq skip: read what it missed from history ({@link Replay#fill}). */
    void gap(Connection connection);

    /**
     * The user's connection count on this node changed. Synchronous; on open, before the history is read (the Redis
     * broker routes the user here from then on).
     */
    void presenceChanged(String userId);

    /** The server sent a close frame: a peer that does not finish the handshake in time is cut off. */
    void closing(Connection connection);

    /** A live message reached its socket this long (nanoseconds) after it was accepted. */
    void delivered(long latencyNanos);
}
