package com.matchbook.realtime.message;

import java.nio.charset.StandardCharsets;

/**
 * One frame ready to go out, encoded once and shared by every connection it is sent to.
 *
 * <p>Only the bytes are kept: the socket writes bytes anyway.
 *
 * @param kind    what kind of WebSocket frame it becomes
 * @param bytes   the payload: UTF-8 JSON for text frames
 * @param message the message it carries, when it carries one (for filtering, ordering and metrics)
 */
public record OutFrame(Kind kind, byte[] bytes, Message message) {

    public enum Kind { TEXT, BINARY, PING, PONG }

    private static final byte[] NO_BYTES = new byte[0];

    public static OutFrame text(String json) {
        return new OutFrame(Kind.TEXT, json.getBytes(StandardCharsets.UTF_8), null);
    }

    public static OutFrame text(String json, Message message) {
        return new OutFrame(Kind.TEXT, json.getBytes(StandardCharsets.UTF_8), message);
    }

    public static OutFrame binary(byte[] bytes, Message message) {
        return new OutFrame(Kind.BINARY, bytes, message);
    }

    /** The JSON of a text frame (decoded again: only the SSE stream and other nodes need it as text). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static OutFrame ping() {
        return new OutFrame(Kind.PING, NO_BYTES, null);
    }

    public static OutFrame pong(byte[] payload) {
        return new OutFrame(Kind.PONG, payload, null);
    }

    public boolean isMessage() {
        return message != null;
    }
}
