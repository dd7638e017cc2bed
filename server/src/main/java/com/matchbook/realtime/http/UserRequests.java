package com.matchbook.realtime.http;

import io.helidon.webserver.http.ServerRequest;

import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Caller;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.protocol.UserId;

/** What every {@code /api/users/{id}/...} handler reads from its request: the path's users and query numbers. */
final class UserRequests {
    private UserRequests() {
    }

    /**
     * The path's {@code {id}}, once the caller is known to be that user or a service (docs/protocol.md "Identity").
     *
     * @throws BadInputException 400 for an illegal user id; {@link ApiException} 401/403 from the token check
     */
    static String owner(ServerRequest req, Access access) {
        Caller caller = access.caller(req.headers());
        String id = pathUser(req, "id");
        caller.requireUser(id);
        return id;
    }

    /** Another user named in the path ({@code with}, {@code other}): 400 when it is not a legal user id. */
    static String pathUser(ServerRequest req, String name) {
        String id = req.path().pathParameters().get(name);
        if (!UserId.isValid(id)) {
            throw BadInputException.invalid(name, "is not a valid user id: " + UserId.problem(id));
        }
        return id;
    }

    /** A query number, 0 or more; {@code fallback} when absent or empty; 400 otherwise. */
    static long number(ServerRequest req, String name, long fallback) {
        return number(req, name, fallback, 0);
    }

    /** A page size: {@code fallback} when absent, at most {@code max}; 400 below 1. */
    static int limit(ServerRequest req, int fallback, int max) {
        return (int) Math.min(max, number(req, "limit", fallback, 1));
    }

    private static long number(ServerRequest req, String name, long fallback, long min) {
        var value = req.query().first(name).asOptional();
        if (value.isEmpty() || value.get().isEmpty()) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw BadInputException.invalid(name, "must be a whole number");
        }
        if (n < min) {
            throw BadInputException.invalid(name, "must be " + min + " or more");
        }
        return n;
    }
}
