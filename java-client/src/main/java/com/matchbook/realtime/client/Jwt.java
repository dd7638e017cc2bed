package com.matchbook.realtime.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;

/**
 * Reads a JWT's {@code exp} without verifying the signature: the client only needs to know when to fetch a fresh
 * token; checking it is the server's job.
 */
final class Jwt {
    private Jwt() {
    }

    static Optional<Instant> expiry(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length < 2 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        try {
            // The URL-safe decoder accepts payloads without padding, as JWTs are written.
            String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Optional<JsonObject> payload = JsonText.parseObject(json);
            if (payload.isPresent() && payload.get().get("exp") instanceof JsonNumber exp) {
                return Optional.of(Instant.ofEpochSecond(exp.longValue()));
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
