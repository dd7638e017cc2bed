package com.matchbook.realtime.client;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.matchbook.realtime.protocol.CloseCodes;

/**
 * What a close code means for the client (docs/protocol.md, "Close codes"): the one place that decides whether to
 * reconnect. Every code not listed as final, including ones this version does not know, is treated as transient: a
 * client that gives up on an unknown code stays dead after a server upgrade, one that retries with backoff costs the
 * server little.
 */
final class ClosePolicy {
    /**
     * Reconnecting cannot fix these: the same request would be refused again (1008, 4000, 4003), the client is broken
     * (1002, 1007), or someone meant it to stay closed (1000, 4030 by an operator).
     */
    private static final Set<Integer> FINAL = Set.of(CloseCodes.NORMAL, CloseCodes.PROTOCOL_ERROR,
                                                     CloseCodes.INVALID_PAYLOAD, CloseCodes.POLICY,
                                                     CloseCodes.BAD_REQUEST, CloseCodes.FORBIDDEN,
                                                     CloseCodes.CLOSED_BY_OPERATOR);
    private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(CloseCodes.NORMAL, "closed normally"),
            Map.entry(CloseCodes.GOING_AWAY, "server going away"),
            Map.entry(CloseCodes.PROTOCOL_ERROR, "protocol error: this client is broken"),
            Map.entry(CloseCodes.ABNORMAL, "connection lost"),
            Map.entry(CloseCodes.INVALID_PAYLOAD, "invalid UTF-8: this client is broken"),
            Map.entry(CloseCodes.POLICY, "origin not allowed"),
            Map.entry(CloseCodes.TOO_BIG, "message too big"),
            Map.entry(CloseCodes.INTERNAL_ERROR, "server error"),
            Map.entry(CloseCodes.BAD_REQUEST, "bad request (user id or resume cursor refused)"),
            Map.entry(CloseCodes.UNAUTHORIZED, "token missing, invalid or expired"),
            Map.entry(CloseCodes.FORBIDDEN, "token is for another user"),
            Map.entry(CloseCodes.TOO_SLOW, "too slow: the server's outbox overflowed"),
            Map.entry(CloseCodes.RATE_LIMITED, "rate limited"),
            Map.entry(CloseCodes.CLOSED_BY_OPERATOR, "closed by an operator"));
    private static final Pattern RETRY_AFTER = Pattern.compile("(?:^|[\\s;,])retry-after-ms=(\\d{1,12})");

    private ClosePolicy() {
    }

    /**
     * @param reconnect    false: stay closed
     * @param refreshToken the token was refused: get a new one before the next attempt
     * @param minDelayMs   the server's hint: do not come back sooner than this
     * @param description  the code in words
     */
    record Decision(boolean reconnect, boolean refreshToken, long minDelayMs, String description) {
    }

    static Decision decide(int code, String reason) {
        String description = describe(code);
        if (FINAL.contains(code)) {
            return new Decision(false, false, 0, description);
        }
        return new Decision(true, code == CloseCodes.UNAUTHORIZED, retryAfterMs(reason), description);
    }

    static String describe(int code) {
        return DESCRIPTIONS.getOrDefault(code, "closed with code " + code);
    }

    /** The server's {@code retry-after-ms=N} hint in a close reason (1001 drains, 4029); 0 when there is none. */
    static long retryAfterMs(String reason) {
        Matcher m = RETRY_AFTER.matcher(reason);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
