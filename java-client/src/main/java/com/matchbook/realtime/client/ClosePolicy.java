package com.matchbook.realtime.client;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a close code means for the client (PROTOCOL.md, "Close codes"): the one place that decides whether to
 * reconnect. Every code not listed as final, including ones this version does not know, is treated as transient: a
 * client that gives up on an unknown code stays dead after a server upgrade, one that retries with backoff costs the
 * server little.
 */
final class ClosePolicy {
    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int ABNORMAL = 1006;
    static final int TOKEN_INVALID = 4001;

    /** Reconnecting cannot fix these: the same request would be refused again. */
    private static final Set<Integer> FINAL = Set.of(NORMAL, 1008, 4000, 4003);
    private static final Map<Integer, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry(1000, "closed normally"),
            Map.entry(1001, "server going away"),
            Map.entry(1006, "connection lost"),
            Map.entry(1008, "origin not allowed"),
            Map.entry(1009, "message too big"),
            Map.entry(1011, "server error"),
            Map.entry(4000, "bad request (user id or resume cursor refused)"),
            Map.entry(4001, "token missing, invalid or expired"),
            Map.entry(4003, "token is for another user"),
            Map.entry(4008, "too slow: the server's outbox overflowed"),
            Map.entry(4029, "rate limited"));
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
        return new Decision(true, code == TOKEN_INVALID, retryAfterMs(reason), description);
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
