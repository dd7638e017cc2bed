package com.matchbook.realtime.limits;

import java.nio.charset.StandardCharsets;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;

/**
 * The answer to a connection this node will not serve, written as raw HTTP/1.1 bytes straight to the socket: it goes
 * out before (or instead of) Helidon's request handling, so it cannot depend on it. JSON body as every error of this
 * service ({@code {"error","message"}}), {@code Retry-After} (RFC 9110 section 10.2.3), {@code Connection: close}.
 */
record RefusalResponse(int status, String reason, String error, String message, long retryAfterSeconds) {

    /** 503: the node is at {@code matchbook.limits.max-connections} (docs/protocol.md, 1.1). */
    static RefusalResponse full(long retryAfterSeconds) {
        return new RefusalResponse(503, "Service Unavailable", "unavailable",
                                   "this node is at its connection limit; retry after the delay", retryAfterSeconds);
    }

    /** 429: this client address holds {@code matchbook.limits.connections-per-address} connections already. */
    static RefusalResponse perAddress(long retryAfterSeconds) {
        return new RefusalResponse(429, "Too Many Requests", "too_many_connections",
                                   "too many open connections from this address; close some or retry after the delay",
                                   retryAfterSeconds);
    }

    byte[] bytes() {
        String json = "{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Cache-Control: no-store\r\n"
                + "Retry-After: " + retryAfterSeconds + "\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** Writes the whole answer now; a client already gone is not an error. */
    void writeTo(ConnectionContext ctx) {
        try {
            ctx.dataWriter().writeNow(BufferData.create(bytes()));
        } catch (RuntimeException e) {
            // the client hung up first: nothing to tell it
        }
    }
}
