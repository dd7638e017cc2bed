package com.matchbook.realtime.client;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an upgrade did not give a socket: the network (refused, reset, timed out) or an HTTP answer instead of 101,
 * such as the contract's 503 with {@code Retry-After} when the server admits connections slower than they come.
 * Helidon's client reports a refused upgrade only as the text {@code "... Response: 503 Service Unavailable: <headers>"},
 * so status and Retry-After are read from that text; when it cannot be read, the plain backoff applies.
 *
 * @param status       the HTTP status, or 0 when no HTTP answer came
 * @param retryAfterMs the server's Retry-After in milliseconds, or 0
 * @param description  for logs and the state listener
 */
record HandshakeFailure(int status, long retryAfterMs, String description) {
    private static final Pattern STATUS = Pattern.compile("Response: (\\d{3})\\b");
    private static final Pattern RETRY_AFTER = Pattern.compile("(?im)(?:^|[\\s,])Retry-After:\\s*(\\d{1,9})\\s*(?:$|[\\r\\n,])");

    static HandshakeFailure of(Throwable error) {
        String text = String.valueOf(error.getMessage());
        Matcher status = STATUS.matcher(text);
        if (!status.find()) {
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new HandshakeFailure(0, 0, "connect failed: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : " " + root.getMessage()));
        }
        int code = Integer.parseInt(status.group(1));
        Matcher retry = RETRY_AFTER.matcher(text);
        long retryAfterMs = retry.find() ? Long.parseLong(retry.group(1)) * 1000 : 0;
        return new HandshakeFailure(code, retryAfterMs, "upgrade refused with HTTP " + code
                + (retryAfterMs > 0 ? ", retry after " + retryAfterMs + " ms" : ""));
    }
}
