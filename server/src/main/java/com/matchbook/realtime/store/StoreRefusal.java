package com.matchbook.realtime.store;

/**
 * A store (or the delivery rules in front of it) refused a write for a reason the contract names: the caller answers
 * with {@link #status()} and {@link #code()} (HTTP status and {@code error} code) and nothing was written.
 */
public final class StoreRefusal extends RuntimeException {
    /** A repeat of an idempotency key with other content (docs/protocol.md "Idempotent sends (1.1)"): 422. */
    public static final String KEY_REUSED = "idempotency_key_reused";
    /** No such message written by this author (docs/protocol.md "Edit and delete (1.1)"): 404. */
    public static final String NOT_FOUND = "not_found";
    /** An edit after {@code matchbook.edit-window} (docs/protocol.md "Edit and delete (1.1)"): 403. */
    public static final String EDIT_WINDOW_CLOSED = "edit_window_closed";

    /** Either person blocks the other (docs/protocol.md "Blocking (1.1)"): 403. */
    public static final String BLOCKED = "blocked";

    private final int status;
    private final String code;

    private StoreRefusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static StoreRefusal keyReused(String key) {
        return new StoreRefusal(422, KEY_REUSED, "idempotency key '" + key + "' was used for another message");
    }

    public static StoreRefusal notFound(String messageId) {
        return new StoreRefusal(404, NOT_FOUND, "no message '" + messageId + "' of yours");
    }

    public static StoreRefusal editWindowClosed(String messageId) {
        return new StoreRefusal(403, EDIT_WINDOW_CLOSED, "message '" + messageId + "' can no longer be edited");
    }

    /** A send or edit between two people of whom one blocks the other. */
    public static StoreRefusal blocked(String other) {
        return new StoreRefusal(403, BLOCKED, "you cannot write to '" + other + "'");
    }

    /** The HTTP status: 403, 404 or 422. */
    public int status() {
        return status;
    }

    /** The {@code error} code of the contract. */
    public String code() {
        return code;
    }
}
