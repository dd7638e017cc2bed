package com.matchbook.realtime.message;

/** The contract's identity rule: 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}. */
public final class UserId {
    public static final int MAX_LENGTH = 64;

    private UserId() {
    }

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

    /** Why {@code id} is refused, in words a client developer can act on. */
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
}
