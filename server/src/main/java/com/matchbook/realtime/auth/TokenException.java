package com.matchbook.realtime.auth;

/** A token that does not let its bearer in: missing, malformed, badly signed, or expired. */
public final class TokenException extends RuntimeException {
    public TokenException(String message) {
        super(message, null, false, false);
    }
}
