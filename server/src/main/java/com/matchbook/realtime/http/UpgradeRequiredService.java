package com.matchbook.realtime.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A plain {@code GET /ws} that asked for no WebSocket upgrade (or sent a body with it, which Helidon never upgrades):
 * 426 with {@code Upgrade: websocket} and {@code Sec-WebSocket-Version: 13}. Upgrade requests, refused or not, are answered by the upgrader
 * ({@code ws.wire.WireUpgrader}) and never reach HTTP routing.
 */
public final class UpgradeRequiredService implements Handler {
    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        // PROTOCOL.md "Framing and handshake": a missing Sec-WebSocket-Version is 426 with the version spoken.
        res.header(HeaderNames.UPGRADE, "websocket").header(HeaderNames.create("Sec-WebSocket-Version"), "13");
        ErrorResponses.send(res, 426, "upgrade_required", "this endpoint speaks WebSocket: /ws?id={userId}");
    }
}
