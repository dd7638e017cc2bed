package com.matchbook.realtime.hub;

/** How many connections a user holds: on this node, or across all nodes when they share a broker. */
@FunctionalInterface
public interface Presence {
    int connections(String userId);

    /** Connected now, or (across nodes) gone for less than a short grace. */
    default boolean online(String userId) {
        return connections(userId) > 0;
    }
}
