package com.matchbook.realtime.hub;

/** How many connections a user holds: on this node, or across all nodes when they share a broker. */
@FunctionalInterface
public interface Presence {
    int connections(String userId);
}
