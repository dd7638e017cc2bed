package com.matchbook.realtime.hub;

import java.time.Duration;

/**
 * What the hub needs from the settings.
 *
 * @param outboxLimit        frames queued per connection before it counts as too slow
 * @param connectionsPerUser live connections one user may hold on this node
 * @param heartbeatInterval  ping period
 * @param heartbeatTimeout   silence allowed after a ping
 * @param writeTimeout       a single write blocked this long means a peer that stopped reading
 */
public record HubLimits(int outboxLimit, int connectionsPerUser, Duration heartbeatInterval, Duration heartbeatTimeout,
                        Duration writeTimeout) {
    long heartbeatIntervalNanos() {
        return heartbeatInterval.toNanos();
    }

    long heartbeatMs() {
        return heartbeatInterval.toMillis();
    }
}
