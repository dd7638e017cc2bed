package com.matchbook.realtime.support;

import java.time.Clock;
import java.time.Duration;

import com.matchbook.realtime.auth.Tokens;

/** Tokens signed with the test secret (or another one, to forge). */
public final class TestTokens {
    public static final String SECRET = "test-secret-0123456789abcdef-0123456789";

    private TestTokens() {
    }

    public static String user(String sub, Duration validFor) {
        return new Tokens(SECRET, Duration.ZERO, Clock.systemUTC()).sign(sub, validFor, false);
    }

    public static String user(String sub) {
        return user(sub, Duration.ofMinutes(5));
    }

    public static String service(String sub) {
        return new Tokens(SECRET, Duration.ZERO, Clock.systemUTC()).sign(sub, Duration.ofMinutes(5), true);
    }

    /** A token with {@code "role": "admin"}: may use the operator console. */
    public static String admin(String sub) {
        return new Tokens(SECRET, Duration.ZERO, Clock.systemUTC()).sign(sub, Duration.ofMinutes(5),
                                                                          java.util.Optional.of("admin"));
    }

    public static String forged(String sub) {
        return new Tokens("another-secret-0123456789abcdef-98765", Duration.ZERO, Clock.systemUTC())
                .sign(sub, Duration.ofMinutes(5), false);
    }
}
