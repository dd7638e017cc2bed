package com.matchbook.realtime.client;

/** The contract's identity rule: 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}. */
final class UserIds {
    static final int MAX_LENGTH = 64;

    private UserIds() {
    }

    static boolean isValid(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
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

    static String require(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("user id must be 1 to " + MAX_LENGTH
                                                       + " characters of A-Z a-z 0-9 . _ -, got '" + id + "'");
        }
        return id;
    }
}
