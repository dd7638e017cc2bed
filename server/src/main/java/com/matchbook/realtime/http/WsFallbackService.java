package com.matchbook.realtime.http;

import com.matchbook.realtime.limits.Admission;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /ws} when it did not become a WebSocket: either the node refused the upgrade (admission rate or drain:
 * 503 with Retry-After, as the contract says for reconnect storms), or it was a plain HTTP request (426).
 */
public final class WsFallbackService implements Handler {
    private final Admission admission;

    public WsFallbackService(Admission admission) {
        this.admission = admission;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        boolean upgrade = req.headers().first(HeaderNames.UPGRADE).map(u -> u.equalsIgnoreCase("websocket"))
                .orElse(false);
        if (upgrade && admission.refusing()) {
            throw ApiException.unavailable("too many new connections right now; retry after the delay",
                                           admission.retryAfterSeconds());
        }
        if (upgrade) {
            throw new ApiException(400, "bad_handshake", "the WebSocket handshake is incomplete or of another version");
        }
        res.header(HeaderNames.UPGRADE, "websocket");
        ErrorResponses.send(res, 426, "upgrade_required", "this endpoint speaks WebSocket: /ws?id={userId}");
    }
}
