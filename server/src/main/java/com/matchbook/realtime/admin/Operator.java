package com.matchbook.realtime.admin;

import java.util.List;
import java.util.Optional;

/**
 * What the operator console does, over the whole cluster: on one node {@link LocalOperator}; with Redis
 * {@code RedisOperator}, which asks every node through Redis and merges the answers. PROTOCOL.md "Operator console".
 */
public interface Operator {

    /** Open connections, of one user or of all, newest first, at most {@code limit}. */
    Listing connections(Optional<String> user, int limit);

    /**
     * Closes one connection with 4030 on whichever node holds it.
     *
     * @return false when no node holds a connection with that id
     */
    boolean disconnect(String connectionId);

    /** Closes every connection of a user with 4030, on every node; returns how many were closed. */
    int disconnectUser(String userId);

    /** Every live node's health and its samples closing after {@code afterSecond} (0: the whole ring). */
    List<NodeReport> nodes(long afterSecond);
}
