package com.matchbook.realtime.client;

/**
 * Why a request of this client failed: {@link #code()} is the server's error code as docs/protocol.md spells it
 * ({@code blocked}, {@code not_found}, {@code edit_window_closed}, {@code idempotency_key_reused},
 * {@code invalid_field}, ...) or one of the client's own. Futures of the client fail with a subclass:
 * {@link SendException} for what went over the socket (send, edit, delete), {@link ApiException} for what went over
 * HTTP.
 */
public abstract sealed class MatchbookException extends RuntimeException permits SendException, ApiException {
    private final String code;

    MatchbookException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The error code; compare with the constants of the subclasses or the contract's codes. */
    public String code() {
        return code;
    }
}
