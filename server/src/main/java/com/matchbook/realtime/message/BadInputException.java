package com.matchbook.realtime.message;

/**
 * Input that the contract refuses. The same problem reads as an HTTP status with a JSON body, or as an {@code error}
 * frame with the same {@code code}.
 */
public final class BadInputException extends RuntimeException {
    private final String code;
    private final int status;

    public BadInputException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static BadInputException missing(String field) {
        return new BadInputException(400, "missing_field", "'" + field + "' is required");
    }

    public static BadInputException invalid(String field, String why) {
        return new BadInputException(400, "invalid_field", "'" + field + "' " + why);
    }

    public static BadInputException tooLarge(String what, long limit) {
        return new BadInputException(413, "too_large", what + " is over the limit of " + limit + " bytes");
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
