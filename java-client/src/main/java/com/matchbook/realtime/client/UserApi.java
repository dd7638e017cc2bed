package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import com.matchbook.realtime.protocol.JsonFields;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The user's HTTP endpoints of docs/protocol.md 1.1 ("Conversations", "Blocking"): the conversation list, history
 * pages of one conversation, and blocks. Blocking calls (the client runs them on virtual threads); a non-2xx answer or
 * no answer at all throws {@link ApiException} with the server's error code.
 */
final class UserApi {
    private final WebClient http;

    UserApi(Duration connectTimeout, Duration readTimeout) {
        this.http = WebClient.builder().connectTimeout(connectTimeout).readTimeout(readTimeout).build();
    }

    List<ConversationSummary> conversations(URI base, String userId, int limit, Optional<String> token) {
        JsonObject o = object(call(Method.GET, Endpoints.conversations(base, userId, limit), token));
        List<ConversationSummary> list = new ArrayList<>();
        for (JsonValue v : array(o, "conversations")) {
            if (v instanceof JsonObject c && JsonFields.string(c, "with").isPresent()) {
                list.add(new ConversationSummary(JsonFields.string(c, "with", ""),
                                                 JsonFields.object(c, "last").flatMap(Message::fromJson),
                                                 JsonFields.number(c, "unread").orElse(0),
                                                 JsonFields.bool(c, "blocked", false)));
            }
        }
        return List.copyOf(list);
    }

    ConversationPage history(URI base, String userId, String with, OptionalLong before, int limit,
                             Optional<String> token) {
        JsonObject o = object(call(Method.GET, Endpoints.conversationMessages(base, userId, with, before, limit),
                                   token));
        List<Message> messages = new ArrayList<>();
        for (JsonValue v : array(o, "messages")) {
            if (v instanceof JsonObject m) {
                Message.fromJson(m).ifPresent(messages::add);
            }
        }
        return new ConversationPage(List.copyOf(messages), JsonFields.bool(o, "more", false));
    }

    void block(URI base, String userId, String other, Optional<String> token) {
        call(Method.PUT, Endpoints.blocks(base, userId, Optional.of(other)), token);
    }

    void unblock(URI base, String userId, String other, Optional<String> token) {
        call(Method.DELETE, Endpoints.blocks(base, userId, Optional.of(other)), token);
    }

    List<String> blocked(URI base, String userId, Optional<String> token) {
        JsonObject o = object(call(Method.GET, Endpoints.blocks(base, userId, Optional.empty()), token));
        List<String> ids = new ArrayList<>();
        for (JsonValue v : array(o, "blocked")) {
            if (v instanceof JsonString s) {
                ids.add(s.getString());
            }
        }
        return List.copyOf(ids);
    }

    private String call(Method method, URI uri, Optional<String> token) {
        var request = http.method(method).uri(uri).header(HeaderValues.ACCEPT_JSON);
        token.ifPresent(t -> request.header(HeaderNames.AUTHORIZATION, "Bearer " + t));
        try (HttpClientResponse response = request.request()) {
            int status = response.status().code();
            String body = response.entity().hasEntity() ? response.as(String.class) : "";
            if (status / 100 != 2) {
                throw refusal(status, body);
            }
            return body;
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ApiException(0, ApiException.UNREACHABLE, method.text() + " " + uri + ": " + e);
        }
    }

    /** docs/protocol.md: a refusal is {@code {"error": "<code>", "message": "..."}}; anything else gets a code too. */
    static ApiException refusal(int status, String body) {
        Optional<JsonObject> o = JsonText.parseObject(body);
        String code = o.flatMap(b -> JsonFields.string(b, "error")).orElse("http_" + status);
        String message = o.flatMap(b -> JsonFields.string(b, "message")).orElse("HTTP " + status);
        return new ApiException(status, code, message);
    }

    private static JsonObject object(String body) {
        return JsonText.parseObject(body)
                .orElseThrow(() -> new ApiException(200, "invalid_response", "the answer is not a JSON object"));
    }

    private static JsonArray array(JsonObject o, String field) {
        return o.get(field) instanceof JsonArray a ? a : JsonValue.EMPTY_JSON_ARRAY;
    }
}
