package com.matchbook.realtime.http;

import java.util.Optional;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Drafts;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.Utf8;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * {@code PATCH} and {@code DELETE /api/users/{author}/messages/{id}} (docs/protocol.md "Edit and delete (1.1)"): 200
 * with the message in its latest version, 204; 404 {@code not_found}, 403 {@code edit_window_closed} or {@code
 * blocked}.
 */
final class MessageEditsService implements HttpService {
    private final Delivery delivery;
    private final Access access;
    private final long maxTextBytes;
    private final long maxBodyBytes;

    MessageEditsService(Delivery delivery, Access access, long maxTextBytes, long maxBodyBytes) {
        this.delivery = delivery;
        this.access = access;
        this.maxTextBytes = maxTextBytes;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.patch("/{id}/messages/{messageId}", this::edit)
                .delete("/{id}/messages/{messageId}", this::delete);
    }

    private void edit(ServerRequest req, ServerResponse res) {
        String author = UserRequests.owner(req, access);
        String messageId = messageId(req);
        JsonObject body = JsonBodies.object(req, maxBodyBytes);
        Optional<String> text = Drafts.optionalString(body, "text");
        JsonValue rawData = body.get("data");
        Optional<JsonValue> data = rawData == null || rawData.getValueType() == JsonValue.ValueType.NULL
                ? Optional.empty() : Optional.of(rawData);
        if (text.isEmpty() && data.isEmpty()) {
            throw new BadInputException(400, "missing_field", "'text' or 'data' is required");
        }
        if (text.isPresent() && Utf8.length(text.get()) > maxTextBytes) {
            throw BadInputException.tooLarge("'text'", maxTextBytes);
        }
        Message latest = SendMessageService.await(delivery.edit(author, messageId, text, data));
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(Frames.historyJson(latest));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String author = UserRequests.owner(req, access);
        SendMessageService.await(delivery.delete(author, messageId(req)));
        res.status(Status.NO_CONTENT_204).send();
    }

    private static String messageId(ServerRequest req) {
        String id = req.path().pathParameters().get("messageId");
        if (id.isEmpty() || id.length() > 64) {
            throw BadInputException.invalid("messageId", "is not a message id");
        }
        return id;
    }
}
