package com.matchbook.realtime.client;

/**
 * Why a {@code send}, {@code edit} or {@code delete} was not acknowledged. {@link #code()} is the server's error code
 * from the {@code error} frame that answered it (docs/protocol.md "Frames": {@code invalid_field}, {@code too_large},
 * {@code rate_limited}, {@code blocked}, {@code not_found}, {@code edit_window_closed},
 * {@link #IDEMPOTENCY_KEY_REUSED}, ...) or one of the client's own: {@link #TIMEOUT}, {@link #CLOSED}.
 */
public final class SendException extends MatchbookException {
    /** Written on an open connection, and no answer within the send timeout. It may have been stored. */
    public static final String TIMEOUT = "timeout";
    /** The client was closed before the frame could be written or answered. */
    public static final String CLOSED = "closed";
    /** docs/protocol.md "Idempotent sends": the server holds another message under this send's key. */
    public static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";
    /** docs/protocol.md "Blocking": one of the two people blocks the other; nothing was stored. */
    public static final String BLOCKED = "blocked";
    /** docs/protocol.md "Edit and delete": not a message this user wrote, or no such message. */
    public static final String NOT_FOUND = "not_found";
    /** docs/protocol.md "Edit and delete": the edit came after {@code matchbook.edit-window}. */
    public static final String EDIT_WINDOW_CLOSED = "edit_window_closed";

    public SendException(String code, String message) {
        super(code, message);
    }
}
