package com.matchbook.realtime.http;

import java.util.Optional;

/**
 * An HTTP answer other than success, with the contract's JSON body {@code {"error", "message"}}.
 * Thrown by handlers, turned into a response in one place ({@link ErrorResponses}).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Optional<Long> retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Optional.empty());
    }

    public ApiException(int status, String code, String message, Optional<Long> retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 404 {@code not_found}: the thing named in the path does not exist (e.g. a console connection id). */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException unavailable(String message, long retryAfterSeconds) {
        return new ApiException(503, "unavailable", message, Optional.of(retryAfterSeconds));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Long> retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
