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

    /**
     * One page: entries oldest first (messages, and updates should the server list them, as {@code "type":"update"}),
     * the user's highest seq, and whether history still held {@code since + 1}.
     */
    record Page(List<StreamEntry> entries, long lastSeq, boolean complete) {
        List<Message> messages() {
            return entries.stream().filter(e -> e instanceof Message).map(Message.class::cast).toList();
        }
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
        List<StreamEntry> entries = new ArrayList<>(list.size());
        for (JsonValue entry : list) {
            if (entry instanceof JsonObject m) {
                if ("update".equals(JsonFields.string(m, "type", "message"))) {
                    Update.fromJson(m).ifPresent(entries::add);
                } else {
                    Message.fromJson(m).ifPresent(entries::add);
                }
            }
        }
        long lastSeq = JsonFields.number(o, "lastSeq")
                .orElse(entries.isEmpty() ? 0 : StreamEntry.seqOf(entries.getLast()));
        return new Page(List.copyOf(entries), lastSeq, JsonFields.bool(o, "complete", true));
    }
}
