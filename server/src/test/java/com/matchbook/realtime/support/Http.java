package com.matchbook.realtime.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.JsonObject;

/** A plain HTTP client for tests: what an outside caller would send. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** Status, body and headers of one exchange. */
    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonObject json() {
            return Json.parse(body);
        }
    }

    public static Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    public static Reply get(URI uri, String accept) {
        return send(HttpRequest.newBuilder(uri).header("Accept", accept).GET());
    }

    public static Reply postJson(URI uri, String json) {
        return post(uri, "application/json", json);
    }

    public static Reply post(URI uri, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    /**
     * {@code POST /send-message} of a text with an {@code Idempotency-Key} (PROTOCOL.md "Idempotent sends (1.1)"),
     * as a client sends it and sends it again after a refusal.
     */
    public static Reply sendWithKey(ServerProcess node, String from, String to, String text, String key) {
        return send(HttpRequest.newBuilder(node.http("/send-message"))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"text\":\"" + text + "\"}")));
    }

    public static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(),
                                                 HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new AssertionError("HTTP call failed: " + request.build().uri(), e);
        }
    }
}
