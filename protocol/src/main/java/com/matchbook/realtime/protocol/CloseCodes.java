package com.matchbook.realtime.protocol;

/**
 * Every WebSocket close code the service sends or a client must understand, with where each rule comes from: RFC 6455
 * section 7.4.1 for the 1000-range codes, PROTOCOL.md "Close codes" for the 4000-range ones. The one place these
 * numbers are written; server and Java client both read them from here.
 */
public final class CloseCodes {
    /** 1000, RFC 6455 7.4.1: normal close; the client stays closed. */
    public static final int NORMAL = 1000;
    /** 1001, RFC 6455 7.4.1: the server is going away (drain, shutdown, heartbeat timeout); reconnect with backoff. */
    public static final int GOING_AWAY = 1001;
    /** 1002, RFC 6455 7.4.1 and PROTOCOL.md "Framing and handshake": protocol error; the client is broken. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1005, RFC 6455 7.4.1: never sent on the wire; what a close frame with no payload reports as its code. */
    public static final int NO_STATUS = 1005;
    /** 1006, RFC 6455 7.4.1: never sent on the wire; what a client reports when the connection dropped. */
    public static final int ABNORMAL = 1006;
    /** 1007, RFC 6455 7.4.1: a text message or close reason that is not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008, RFC 6455 7.4.1: policy violation; here, an origin that is not allowed. */
    public static final int POLICY = 1008;
    /** 1009, RFC 6455 7.4.1: a message over the size limit (after reassembly and inflation). */
    public static final int TOO_BIG = 1009;
    /** 1011, RFC 6455 7.4.1: the server hit an internal error; reconnect with backoff. */
    public static final int INTERNAL_ERROR = 1011;
    /** 4000, PROTOCOL.md: bad request (missing or invalid {@code id}, bad {@code since}). */
    public static final int BAD_REQUEST = 4000;
    /** 4001, PROTOCOL.md: token missing, invalid or expired. */
    public static final int UNAUTHORIZED = 4001;
    /** 4003, PROTOCOL.md: the token is for another user. */
    public static final int FORBIDDEN = 4003;
    /** 4008, PROTOCOL.md: too slow, the connection's outbox overflowed; reconnect with {@code since}. */
    public static final int TOO_SLOW = 4008;
    /** 4029, PROTOCOL.md: rate limited; the reason carries {@code retry-after-ms=N}. */
    public static final int RATE_LIMITED = 4029;
    /** 4030, PROTOCOL.md "Operator console": closed by an operator; the client stays closed. */
    public static final int CLOSED_BY_OPERATOR = 4030;

    /** RFC 6455 7.4.1: reserved, "meaning might be defined in the future"; never sent, and refused when received. */
    public static final int RESERVED = 1004;
    /** The last code of the IANA registry's 1000 range (1012-1014 were registered after RFC 6455 7.4.1). */
    public static final int LAST_REGISTERED = 1014;
    /** RFC 6455 7.4.2: 3000-4999 are for libraries, frameworks and applications; the first of them. */
    public static final int FIRST_APPLICATION = 3000;
    /** RFC 6455 7.4.2: the last code for libraries, frameworks and applications. */
    public static final int LAST_APPLICATION = 4999;

    /** RFC 6455 5.5: a control frame's payload, and so a close frame's code plus reason, is at most 125 bytes. */
    public static final int MAX_CLOSE_PAYLOAD_BYTES = 125;
    /** The reason's share of a close payload: 125 bytes less the 2-byte code. */
    public static final int MAX_REASON_BYTES = MAX_CLOSE_PAYLOAD_BYTES - 2;

    private CloseCodes() {
    }
}
