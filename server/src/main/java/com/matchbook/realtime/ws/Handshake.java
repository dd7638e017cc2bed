package com.matchbook.realtime.ws;

import java.util.Optional;
import java.util.OptionalLong;

import io.helidon.common.uri.UriQuery;

import com.matchbook.realtime.auth.Claims;
import com.matchbook.realtime.hub.Refusal;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.UserId;

/**
 * What the upgrade request asked for, or why it is refused. Decided at upgrade time, acted on at open: a refusal is
 * sent as a close frame, because browsers see only 1006 for a refused handshake.
 *
 * @param userId  the user the socket is for
 * @param since   resume point, when given
 * @param token   the {@code ?token=} value, when given (never logged: see {@link #toString()})
 * @param claims  the verified token, when auth is on
 * @param refusal why the socket is refused, if it is
 */
record Handshake(String userId, OptionalLong since, Optional<String> token, Optional<Claims> claims,
                 Optional<Refusal> refusal) {

    static Handshake parse(UriQuery query) {
        Optional<String> id = query.first("id").asOptional();
        if (id.isEmpty() || !UserId.isValid(id.get())) {
            return refused(CloseCodes.BAD_REQUEST, "bad request: " + UserId.problem(id.orElse(null)));
        }
        OptionalLong since = OptionalLong.empty();
        Optional<String> sinceText = query.first("since").asOptional();
        if (sinceText.isPresent()) {
            try {
                long n = Long.parseLong(sinceText.get());
                if (n < 0) {
                    return refused(CloseCodes.BAD_REQUEST, "bad request: since must be 0 or more");
                }
                since = OptionalLong.of(n);
            } catch (NumberFormatException e) {
                return refused(CloseCodes.BAD_REQUEST, "bad request: since must be a whole number");
            }
        }
        Optional<String> token = query.first("token").asOptional().filter(t -> !t.isEmpty());
        return new Handshake(id.get(), since, token, Optional.empty(), Optional.empty());
    }

    static Handshake refused(int code, String reason) {
        return new Handshake("", OptionalLong.empty(), Optional.empty(), Optional.empty(),
                             Optional.of(new Refusal(code, reason)));
    }

    Handshake withRefusal(Refusal r) {
        return new Handshake(userId, since, token, claims, Optional.of(r));
    }

    Handshake withClaims(Claims c) {
        return new Handshake(userId, since, token, Optional.of(c), refusal);
    }

    @Override
    public String toString() {
        return "Handshake[user=" + userId + ", since=" + since + ", token=" + (token.isPresent() ? "<redacted>" : "none")
                + ", refusal=" + refusal + "]";
    }
}
