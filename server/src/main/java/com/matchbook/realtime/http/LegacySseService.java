package com.matchbook.realtime.http;

import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code GET /events} and {@code GET /api/sse}: the retired SSE endpoints. Without {@code Accept: text/event-stream}
 * they answer with a notice pointing at the WebSocket, so an old client's developer sees where to go.
 */
final class LegacySseService implements Handler {
    private static final JsonObject NOTICE = Json.createObjectBuilder(Map.of(
                    "deprecated", true,
                    "transport", "websocket",
                    "endpoint", "/ws?id={userId}",
                    "protocol", "matchbook/1",
                    "message", "Server-Sent Events are retired: open a WebSocket at /ws?id={userId}; "
                            + "send with a 'send' frame or POST /send-message as before"))
            .build();

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.create("Link"), "</ws>; rel=\"alternate\"")
                .header(HeaderNames.CACHE_CONTROL, "no-store");
        JsonAnswers.send(res, NOTICE);
    }
}
