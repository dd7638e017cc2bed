package com.matchbook.realtime.auth;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

import com.matchbook.realtime.http.ApiException;

/** Turns a request's bearer token into a {@link Caller}; with auth off, everyone is an open caller. */
public final class Access {
    private static final String BEARER = "bearer ";

    private final Optional<Tokens> tokens;

    public Access(Optional<Tokens> tokens) {
        this.tokens = tokens;
    }

    public boolean enabled() {
        return tokens.isPresent();
    }

    public Optional<Tokens> tokens() {
        return tokens;
    }

    /** @throws ApiException 401 when auth is on and the bearer token is missing, invalid or expired */
    public Caller caller(Headers headers, Optional<String> queryToken) {
        if (tokens.isEmpty()) {
            return Caller.open();
        }
        Optional<String> token = bearer(headers).or(() -> queryToken);
        try {
            return new Caller(Optional.of(tokens.get().verify(token.orElse(""))));
        } catch (TokenException e) {
            throw new ApiException(401, "unauthorized", e.getMessage());
        }
    }

    public Caller caller(Headers headers) {
        return caller(headers, Optional.empty());
    }

    /** {@code Authorization: Bearer <token>}. */
    public static Optional<String> bearer(Headers headers) {
        return headers.first(HeaderNames.AUTHORIZATION)
                .filter(v -> v.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(v -> v.substring(BEARER.length()).trim())
                .filter(v -> !v.isEmpty());
    }
}
