package com.matchbook.realtime.hub;

import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The hub's events as {@code Realtime} routes them to its replay, for tests without sockets; closes the server
 * started are recorded instead of handed to a keepalive.
 */
final class ReplayEvents implements HubEvents {
    final List<Connection> closing = new CopyOnWriteArrayList<>();
    Replay replay;

    @Override
    public void opened(Connection connection, OptionalLong since) {
        replay.start(connection, since);
    }

    @Override
    public void gap(Connection connection) {
        replay.fill(connection);
    }

    @Override
    public void presenceChanged(String userId) {
    }

    @Override
    public void closing(Connection connection) {
        closing.add(connection);
    }

    @Override
    public void delivered(long latencyNanos) {
    }
}
