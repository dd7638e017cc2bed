package com.matchbook.realtime.delivery;

import com.matchbook.realtime.message.OutFrame;

/**
 * Carries frames that are not stored to the node(s) holding their recipients: on one node straight to the hub, across
 * nodes through Redis. Stored messages are not its business: the store announces them, on Redis too (see
 * {@code Backend}).
 */
public interface Broker {

    /** A transient frame (receipt, typing) to every connection of a user. */
    void toUser(String userId, OutFrame frame);

    /** A live-only frame to every connection taking its channel; returns the connections it reached on this node. */
    int toAll(OutFrame frame, String channel);
}
