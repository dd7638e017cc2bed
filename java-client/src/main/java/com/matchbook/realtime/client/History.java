package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import com.matchbook.realtime.protocol.JsonFields;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** {@code GET /api/users/{id}/messages?since=&limit=}: the retained history, for a resync after a gap. Blocking. */
final class History {
    private final WebClient http;

    /** One page: messages oldest first, the user's highest seq, and whether history still held {@code since + 1}. */
    record Page(List<Message> messages, long lastSeq, boolean complete) {
    }

    /** The server answered something other than a page. */
    static final class HistoryException extends RuntimeException {
        HistoryException(String message) {
            super(message);
        }
    }

    History(Duration connectTimeout, Duration readTimeout) {
        this.http = WebClient.builder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
    }

    Page fetch(URI base, String userId, long since, int limit, Optional<String> token) {
        var request = http.get().uri(Endpoints.history(base, userId, since, limit))
                .header(HeaderValues.ACCEPT_JSON);
        token.ifPresent(t -> request.header(HeaderNames.AUTHORIZATION, "Bearer " + t));
        try (HttpClientResponse response = request.request()) {
            String body = response.as(String.class);
            if (response.status().code() != 200) {
                throw new HistoryException("history request failed: HTTP " + response.status().code() + " " + body);
            }
            return parse(body);
        }
    }

    static Page parse(String body) {
        JsonObject o = JsonText.parseObject(body)
                .orElseThrow(() -> new HistoryException("history response is not a JSON object"));
        if (!(o.get("messages") instanceof JsonArray list)) {
            throw new HistoryException("history response has no messages list");
        }
        List<Message> messages = new ArrayList<>(list.size());
        for (JsonValue entry : list) {
            if (entry instanceof JsonObject m) {
                Message.fromJson(m).ifPresent(messages::add);
            }
        }
        long lastSeq = JsonFields.number(o, "lastSeq")
                .orElse(messages.isEmpty() ? 0 : messages.getLast().rawSeq());
        return new Page(List.copyOf(messages), lastSeq, JsonFields.bool(o, "complete", true));
    }
}
