package com.matchbook.realtime.ws;

import java.util.function.Supplier;

import io.helidon.websocket.WsListener;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.limits.Admission;

/** Makes the {@code /ws} listeners: one per connection, sharing the hub and the frame handler. */
public final class WsEndpointFactory implements Supplier<WsListener> {
    private final Hub hub;
    private final Stats stats;
    private final ClientFrameHandler frames;
    private final Gate gate;
    private final Settings settings;

    public WsEndpointFactory(Hub hub, Delivery delivery, Stats stats, Settings settings, Access access,
                   Admission admission) {
        this.hub = hub;
        this.stats = stats;
        this.settings = settings;
        this.frames = new ClientFrameHandler(hub, delivery, settings, access);
        this.gate = new Gate(admission, access, settings);
    }

    @Override
    public WsListener get() {
        return new WsEndpoint(hub, stats, frames, gate, settings);
    }

    /** Largest frame Helidon should read at all; whole-message limits are checked by the endpoint. */
    public static int maxFrameLength(Settings settings) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(settings.maxTextBytes(), settings.maxBinaryFrameBytes()));
    }
}
