package com.matchbook.realtime.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

/**
 * The answers Helidon's HTTP/1 layer gives before routing, for a request it cannot read (a {@code Content-Length}
 * that is not a number, both {@code Content-Length} and {@code Transfer-Encoding}, a {@code Content-Encoding} this
 * server does not decode, a header line without a colon, a missing {@code Host}, HTTP/1.0): the status Helidon chose,
 * with the contract's body {@code {"error": "<code>", "message": "<what is wrong>"}} (PROTOCOL.md "POST
 * /send-message": "Bad input gets a 4xx with {"error", "message"}") instead of Helidon's empty or text body.
 *
 * <p>The message is Helidon's own account of what is wrong when it deems it safe to show (the reason phrase
 * otherwise), cut to
 * {@value #MAX_MESSAGE_CHARS} characters and written as a JSON string, so nothing of the request is echoed unescaped.
 * Helidon closes the connection after these answers whatever keep-alive says.
 */
public final class JsonDirectHandler implements DirectHandler {
    static final int MAX_MESSAGE_CHARS = 200;
    /** What Helidon passes instead of a message it deems unsafe to show. */
    private static final String HELIDON_UNSAFE = "Bad request, see server log";
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    /** Every event type Helidon answers directly, each with this handler. */
    public static DirectHandlers all() {
        DirectHandlers.Builder b = DirectHandlers.builder();
        JsonDirectHandler handler = new JsonDirectHandler();
        for (EventType type : EventType.values()) {
            b.addHandler(type, handler);
        }
        return b.build();
    }

    /**
     * A refusal raised inside routing ({@code DirectHandlers.handle}) comes with its exception: its message is shown
     * the same way, and nothing is logged for a client's mistake (Helidon's default logs the ones it deems unsafe).
     */
    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, Throwable thrown) {
        return handle(request, eventType, status, headers, thrown.getMessage());
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, Throwable thrown, System.Logger logger) {
        return handle(request, eventType, status, headers, thrown.getMessage());
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String what = message == null || message.isBlank() || message.startsWith(HELIDON_UNSAFE)
                ? status.reasonPhrase() : message;   // "see server log" means nothing to a client
        if (what.length() > MAX_MESSAGE_CHARS) {
            what = what.substring(0, MAX_MESSAGE_CHARS);
        }
        byte[] body = JSON.createObjectBuilder()
                .add("error", ErrorResponses.codeOf(status))
                .add("message", what)
                .build()
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        headers.set(HeaderValues.CONTENT_TYPE_JSON);
        headers.set(HeaderNames.CACHE_CONTROL, "no-store");
        headers.set(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .keepAlive(eventType.keepAlive())
                .entity(body)
                .build();
    }
}
