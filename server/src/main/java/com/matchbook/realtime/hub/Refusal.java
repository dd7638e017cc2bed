package com.matchbook.realtime.hub;

/**
 * Why a socket is not let in: sent as its close code and reason before any other frame.
 *
 * @param code   close code from {@link com.matchbook.realtime.protocol.CloseCodes}
 * @param reason human-readable reason (at most 123 bytes on the wire)
 */
public record Refusal(int code, String reason) {
}
