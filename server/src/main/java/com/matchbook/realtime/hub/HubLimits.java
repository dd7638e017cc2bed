package com.matchbook.realtime.hub;

import java.time.Duration;

/**
 * What the hub needs from the settings.
 *
 * @param outboxLimit        frames queued per connection before it counts as too slow
 * @param connectionsPerUser live connections one user may hold on this node
 * @param heartbeatInterval  ping period (a connection's first ping comes earlier: {@link Keepalive#admit})
 * @param heartbeatTimeout   silence allowed after a ping
 * @param writeTimeout       a single write blocked this long means a peer that stopped reading
 * @param closeGrace         a peer that has not answered our close frame within this is cut off
 * @param retryWhenStoreDown the reconnect hint for a client sent away because history could not be read
 */
public record HubLimits(int outboxLimit, int connectionsPerUser, Duration heartbeatInterval, Duration heartbeatTimeout,
                        Duration writeTimeout, Duration closeGrace, Duration retryWhenStoreDown) {
    long heartbeatMs() {
        return heartbeatInterval.toMillis();
    }

    long heartbeatTimeoutMs() {
        return heartbeatTimeout.toMillis();
    }
}
