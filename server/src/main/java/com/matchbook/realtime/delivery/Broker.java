package com.matchbook.realtime.delivery;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.OutFrame;

/**
 * Carries frames to the node(s) holding their recipients: on one node straight to the hub, across nodes through Redis.
 */
public interface Broker extends AutoCloseable {

    /** A stored message, to every connection of its recipient. Called in seq order per recipient. */
    void message(Message message);

    /** A transient frame (receipt, typing) to every connection of a user. */
    void toUser(String userId, OutFrame frame);

    /** A live-only frame to every connection taking its channel; returns the connections it reached on this node. */
    int toAll(OutFrame frame, String channel);

    @Override
    default void close() {
    }
}
