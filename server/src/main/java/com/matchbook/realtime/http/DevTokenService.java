package com.matchbook.realtime.http;

import java.time.Instant;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.auth.Tokens;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Drafts;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

/**
 * DEV ONLY: {@code GET /dev/token?id=alice} hands out a short-lived token for anyone who asks, so the bundled chat
 * page can be tried with auth on. It exists only when {@code matchbook.auth.dev-tokens=true}; production never sets
 * that, and the server logs a warning at start when it is set.
 */
public final class DevTokenService implements Handler {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private final Tokens tokens;

    public DevTokenService(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        String id = req.query().first("id").asOptional().orElseThrow(() -> BadInputException.missing("id"));
        Drafts.validId("id", id);
        Instant expiresAt = Instant.now().plus(Timings.DEV_TOKEN_LIFETIME);
        JsonAnswers.send(res.header(HeaderNames.CACHE_CONTROL, "no-store"), JSON.createObjectBuilder()
                              .add("token", tokens.sign(id, Timings.DEV_TOKEN_LIFETIME, false))
                              .add("expiresAt", expiresAt.toString())
                              .add("devOnly", true)
                              .build());
    }
}
