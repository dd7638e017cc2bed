package com.matchbook.realtime.delivery;

import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.message.OutFrame;

/** One node: the hub is every recipient there is. */
public record LocalBroker(Hub hub) implements Broker {

    @Override
    public void toUser(String userId, OutFrame frame) {
        hub.sendToUser(userId, frame);
    }

    @Override
    public int toAll(OutFrame frame, String channel) {
        return hub.broadcast(frame, channel);
    }
}
