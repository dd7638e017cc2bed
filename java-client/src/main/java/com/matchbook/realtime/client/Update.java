package com.matchbook.realtime.client;

import java.time.Instant;
import java.util.Optional;

import com.matchbook.realtime.protocol.JsonFields;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * An earlier message was edited or deleted: docs/protocol.md 1.1, the {@code update} frame and "Edit and delete". It
 * has its own {@code seq} in this user's stream, so it arrives once, in order with the messages, live or in a replay.
 *
 * @param seq       its number in this user's stream
 * @param messageId the message it changes
 * @param action    {@link Action#EDIT} or {@link Action#DELETE}
 * @param from      the message's author (who edited or deleted it)
 * @param to        the message's recipient
 * @param text      the new text of an edit (empty for a delete, or an edit of the data only)
 * @param data      the new data of an edit (empty for a delete, or an edit of the text only)
 * @param at        when the server accepted the edit or delete
 */
public record Update(long seq, String messageId, Action action, String from, String to, Optional<String> text,
                     Optional<JsonValue> data, Instant at) implements StreamEntry {

    /** What happened to the message. */
    public enum Action {
        EDIT, DELETE
    }

    /** Empty when the frame has no {@code seq}, {@code id} or known {@code action}. */
    static Optional<Update> fromJson(JsonObject o) {
        var seq = JsonFields.number(o, "seq");
        Optional<String> id = JsonFields.string(o, "id");
        Optional<Action> action = JsonFields.string(o, "action").flatMap(Update::action);
        if (seq.isEmpty() || id.isEmpty() || action.isEmpty()) {
            return Optional.empty();
        }
        JsonValue data = o.get("data");
        return Optional.of(new Update(seq.getAsLong(), id.get(), action.get(), JsonFields.string(o, "from", ""),
                                      JsonFields.string(o, "to", ""), JsonFields.string(o, "text"),
                                      data == null || data.getValueType() == JsonValue.ValueType.NULL
                                              ? Optional.empty() : Optional.of(data),
                                      JsonFields.instant(o, "at").orElseGet(Instant::now)));
    }

    private static Optional<Action> action(String wire) {
        return switch (wire) {
            case "edit" -> Optional.of(Action.EDIT);
            case "delete" -> Optional.of(Action.DELETE);
            default -> Optional.empty();
        };
    }
}
