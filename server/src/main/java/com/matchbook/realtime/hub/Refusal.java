package com.matchbook.realtime.hub;

/**
 * Why a socket is not let in: sent as its close code and reason before any other frame.
 *
 * @param code   close code from the contract
 * @param reason human-readable reason (at most 123 bytes on the wire)
 */
public record Refusal(int code, String reason) {
    public static final int BAD_REQUEST = 4000;
    public static final int UNAUTHORIZED = 4001;
    public static final int FORBIDDEN = 4003;
    public static final int TOO_SLOW = 4008;
    public static final int RATE_LIMITED = 4029;
    public static final int POLICY = 1008;
}
