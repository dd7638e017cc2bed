package com.matchbook.realtime.hub;

/** The user already holds {@code matchbook.limits.connections-per-user} connections. */
public final class TooManyConnectionsException extends RuntimeException {
    public TooManyConnectionsException(String userId, int limit) {
        super("user " + userId + " already has " + limit + " connections");
    }
}
