package com.matchbook.realtime.message;

/** The idempotency key rule (docs/protocol.md "Idempotent sends (1.1)"): 1 to 64 characters of A-Z a-z 0-9 . _ : -. */
public final class IdempotencyKeys {
    public static final int MAX_LENGTH = 64;

    private IdempotencyKeys() {
    }

    /**
     * The key itself when it is legal.
     *
     * @param field where it came from, for the error ({@code key} or {@code Idempotency-Key})
     * @throws BadInputException 400 {@code invalid_field} otherwise
     */
    public static String check(String key, String field) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw BadInputException.invalid(field, "must be 1 to " + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) {
                throw BadInputException.invalid(field, "must be 1 to " + MAX_LENGTH
                        + " characters of A-Z a-z 0-9 . _ : -");
            }
        }
        return key;
    }
}
