package com.matchbook.realtime.ws.wire;

import java.util.Optional;
import java.util.function.Supplier;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * Attaches a {@link WirePolicy} to a WebSocket route's listeners, so the upgrader (created by Helidon's service loader,
 * before the application exists) learns each route's limits from the listener it gets for a connection:
 * {@code WsRouting.builder().endpoint("/ws", WireRoute.of(policy, listeners))}.
 */
public final class WireRoute implements Supplier<WsListener> {
    private final WirePolicy policy;
    private final Supplier<? extends WsListener> listeners;

    private WireRoute(WirePolicy policy, Supplier<? extends WsListener> listeners) {
        this.policy = policy;
        this.listeners = listeners;
    }

    /** One listener per connection from {@code listeners}, each carrying {@code policy}. */
    public static WireRoute of(WirePolicy policy, Supplier<? extends WsListener> listeners) {
        return new WireRoute(policy, listeners);
    }

    @Override
    public WsListener get() {
        return new PolicedListener(policy, listeners.get());
    }

    /** A route's listener and its policy; every event goes to the endpoint's own listener unchanged. */
    record PolicedListener(WirePolicy policy, WsListener endpoint) implements WsListener {
        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            endpoint.onMessage(session, text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            endpoint.onMessage(session, buffer, last);
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            endpoint.onPing(session, buffer);
        }

        @Override
        public void onPong(WsSession session, BufferData buffer) {
            endpoint.onPong(session, buffer);
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            endpoint.onClose(session, status, reason);
        }

        @Override
        public void onError(WsSession session, Throwable t) {
            endpoint.onError(session, t);
        }

        @Override
        public void onOpen(WsSession session) {
            endpoint.onOpen(session);
        }

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            return endpoint.onHttpUpgrade(prologue, headers);
        }
    }
}
