package com.matchbook.realtime.auth;

import java.util.Optional;
import java.util.function.Supplier;

import com.matchbook.realtime.http.ApiException;

/**
 * Who is calling over HTTP, and what that allows. With auth off every caller is trusted, as in the SSE era.
 *
 * @param claims the verified token; empty when auth is off
 */
public record Caller(Optional<Claims> claims) {
    /** Sender of a message that names none (app-server notifications in the SSE era had no sender). */
    public static final String SYSTEM_SENDER = "system";

    static Caller open() {
        return new Caller(Optional.empty());
    }

    /**
     * The sender of a message: the token's user, except that a service (or an open server) may name any.
     *
     * @param bodyFrom reads the body's {@code from} (and refuses a bad one); called only when it counts, so a user's
     *                 token sends "whatever from says" (PROTOCOL.md "Identity"), even a {@code from} of the wrong type
     */
    public String sender(Supplier<Optional<String>> bodyFrom) {
        if (claims.isEmpty()) {
            return bodyFrom.get().orElse(SYSTEM_SENDER);
        }
        Claims c = claims.get();
        return c.service() ? bodyFrom.get().orElse(c.subject()) : c.subject();
    }

    /** {@code /api/users/{id}/...}: your own data, unless you are a service. */
    public void requireUser(String id) {
        if (claims.isPresent() && !claims.get().service() && !claims.get().subject().equals(id)) {
            throw new ApiException(403, "forbidden", "this token is for another user");
        }
    }

    public void requireService() {
        if (claims.isPresent() && !claims.get().service()) {
            throw new ApiException(403, "forbidden", "only a service token may do this");
        }
    }

    /** The operator console's API: an admin or a service token when auth is on (PROTOCOL.md "Operator console"). */
    public void requireAdmin() {
        if (claims.isPresent() && !claims.get().admin() && !claims.get().service()) {
            throw new ApiException(403, "forbidden", "only an admin or service token may use the console");
        }
    }
}
