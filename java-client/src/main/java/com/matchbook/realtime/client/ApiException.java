package com.matchbook.realtime.client;

/**
 * An HTTP call of this client (conversations, history pages, blocks) was answered with something other than success.
 * {@link #code()} is the {@code error} field of the server's JSON body ({@code not_found}, {@code unauthorized}, ...),
 * {@code http_<status>} when the body had none, or {@link #UNREACHABLE} when no answer came at all.
 */
public final class ApiException extends MatchbookException {
    /** No HTTP answer: the server could not be reached, or the request timed out. */
    public static final String UNREACHABLE = "unreachable";

    private final int status;

    ApiException(int status, String code, String message) {
        super(code, message);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer came ({@link #UNREACHABLE}). */
    public int status() {
        return status;
    }
}
