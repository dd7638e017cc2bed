package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/** {@code POST /send-message}, the HTTP way in for other services. */
public final class SendMessage {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SendMessage() {
    }

    /** The server's answer: status and JSON body. */
    public record Answer(int status, JsonObject body) {
    }

    public static Answer post(Endpoint server, String to, String from, String text) {
        try {
            return send(server, to, from, text);
        } catch (IOException e) {
            throw new AssertionError("POST /send-message to " + server + " failed: " + e, e);
        }
    }

    /**
     * The same, for a server that may be going away: empty when no answer came (refused, or cut off before the answer,
     * in which case the message may or may not have been stored).
     */
    public static Optional<Answer> attempt(Endpoint server, String to, String from, String text) {
        try {
            return Optional.of(send(server, to, from, text));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Answer send(Endpoint server, String to, String from, String text) throws IOException {
        String body = Json.createObjectBuilder().add("to", to).add("from", from).add("text", text).build().toString();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/send-message"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
                return new Answer(response.statusCode(), reader.readObject());
            } catch (RuntimeException notJson) {
                throw new AssertionError("POST /send-message answered " + response.statusCode()
                                                 + " with a body that is not a JSON object: " + response.body(), notJson);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Posts and checks the contract's promise: 202 with the stored message's {@code id} and {@code seq}. */
    public static JsonObject accepted(Endpoint server, String to, String from, String text) {
        Answer answer = post(server, to, from, text);
        if (answer.status() != 202 || !answer.body().containsKey("id") || !answer.body().containsKey("seq")) {
            throw new AssertionError("POST /send-message to " + to + " should answer 202 {id, seq}; got "
                                             + answer.status() + " " + answer.body());
        }
        return answer.body();
    }
}
