package com.matchbook.realtime.client;

/**
 * Why a send was not acknowledged. {@link #code()} is the server's error code ({@code invalid_field},
 * {@code too_large}, {@code rate_limited}, ...) or one of the client's own: {@link #TIMEOUT}, {@link #CONNECTION_LOST},
 * {@link #CLOSED}.
 */
public final class SendException extends RuntimeException {
    /** No ack within the send timeout (the send may have been stored anyway if it was written). */
    public static final String TIMEOUT = "timeout";
    /** The frame was written but the connection dropped before the ack: it may or may not have been stored. */
    public static final String CONNECTION_LOST = "connection-lost";
    /** The client was closed before the send could be written or acknowledged. */
    public static final String CLOSED = "closed";

    private final String code;

    public SendException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
