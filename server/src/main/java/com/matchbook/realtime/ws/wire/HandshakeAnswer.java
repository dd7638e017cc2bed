package com.matchbook.realtime.ws.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

import jakarta.json.Json;

/**
 * An upgrade request answered with an HTTP error by the upgrader itself, so the refusal is decided once, where the
 * upgrade is: the answer is written, and the connection then ends ({@code Connection: close}), so nothing else is
 * ever read or written on it. The body is the contract's JSON error.
 */
final class HandshakeAnswer implements ServerConnection {
    private HandshakeAnswer() {
    }

    /**
     * Writes the answer and returns the connection that ends it.
     *
     * @param status       e.g. 400, 426, 503
     * @param reasonPhrase the status line's phrase
     * @param headers      extra response headers (name to value)
     */
    static ServerConnection send(ConnectionContext ctx, int status, String reasonPhrase, Map<String, String> headers,
                                 String code, String message) {
        byte[] body = Json.createObjectBuilder().add("error", code).add("message", message).build().toString()
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        BufferData out = BufferData.growing(head.length() + body.length);
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        ctx.dataWriter().writeNow(out);
        return new HandshakeAnswer();
    }

    @Override
    public void handle(Limit limit) {
        // answered already; returning ends the connection
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    @Override
    public void close(boolean interrupt) {
    }
}
