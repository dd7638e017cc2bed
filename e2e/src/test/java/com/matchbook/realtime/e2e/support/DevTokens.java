package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/**
 * The server's DEV-ONLY {@code GET /dev/token?id=} (present with {@code matchbook.auth.dev-tokens=true}), and HTTP
 * calls that carry such a token, for tests of a server with auth on.
 */
public final class DevTokens {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private DevTokens() {
    }

    /** A token whose {@code sub} is {@code userId}. */
    public static String tokenFor(Endpoint server, String userId) {
        HttpResponse<String> response = get(server, "/dev/token?id=" + URLEncoder.encode(userId, StandardCharsets.UTF_8),
                                            null);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /dev/token should answer 200 with a token; got " + response.statusCode() + " "
                                             + response.body());
        }
        return json(response).getString("token");
    }

    /** {@code GET path} with {@code Authorization: Bearer token} (none when {@code token} is null). */
    public static HttpResponse<String> get(Endpoint server, String pathAndQuery, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " on " + server + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static JsonObject json(HttpResponse<String> response) {
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new AssertionError("not a JSON object (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
