package com.matchbook.realtime.protocol;

/**
 * The contract's identity rule (PROTOCOL.md "Identity"): a user id is 1 to 64 characters of
 * {@code A-Z a-z 0-9 . _ -}. The server refuses any other id (HTTP 400, close 4000); the Java client refuses it before
 * it connects.
 */
public final class UserId {
    /** The longest id the contract allows, in characters (all of them ASCII, so also in bytes). */
    public static final int MAX_LENGTH = 64;

    private UserId() {
    }

    /** Whether {@code id} follows the rule; {@code null} does not. */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code id} is refused, in words a client developer can act on; meant for an id {@link #isValid} refused. */
    public static String problem(String id) {
        if (id == null) {
            return "missing user id";
        }
        if (id.isEmpty()) {
            return "empty user id";
        }
        if (id.length() > MAX_LENGTH) {
            return "user id longer than " + MAX_LENGTH + " characters";
        }
        return "user id may only contain A-Z a-z 0-9 . _ -";
    }

    /**
     * {@code id} itself when it follows the rule.
     *
     * @throws IllegalArgumentException naming the rule and the id, when it does not
     */
    public static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("user id must be 1 to " + MAX_LENGTH
                                                       + " characters of A-Z a-z 0-9 . _ -, got '" + id + "'");
        }
        return id;
    }
}
