package com.matchbook.realtime.ws.wire;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

/**
 * RFC 6455 4.2.1: the {@code Upgrade} value "websocket" is "treated as an ASCII case-insensitive value". Helidon 4.5
 * picks its upgrader by the exact value, so {@code Upgrade: WebSocket} (sent by several clients and by Autobahn) found
 * none and the request fell through to routing. This receive listener, which sees a request's headers before the
 * upgrader is picked, writes the value in the case Helidon looks up.
 */
public final class UpgradeTokenCase implements Http1ConnectionListener {
    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (headers instanceof WritableHeaders<?> writable) {
            headers.first(HeaderNames.UPGRADE)
                    .filter(v -> v.trim().equalsIgnoreCase(WireUpgrader.PROTOCOL) && !v.equals(WireUpgrader.PROTOCOL))
                    .ifPresent(v -> writable.set(HeaderNames.UPGRADE, WireUpgrader.PROTOCOL));
        }
    }
}
