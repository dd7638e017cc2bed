package com.matchbook.realtime.client;

import java.time.Instant;
import java.util.Optional;

import com.matchbook.realtime.protocol.JsonFields;

import jakarta.json.JsonObject;

/**
 * A recipient confirmed one of this user's messages.
 *
 * @param messageId the message (as in its {@link Ack})
 * @param status    how far it got
 * @param by        the recipient
 * @param at        when the server saw the confirmation
 */
public record Receipt(String messageId, Status status, String by, Instant at) {

    /** {@code delivered}: it reached a device of the recipient; {@code read}: the recipient marked it read. */
    public enum Status {
        DELIVERED, READ
    }

    static Optional<Receipt> fromJson(JsonObject o) {
        Optional<String> id = JsonFields.string(o, "id");
        Optional<Status> status = JsonFields.string(o, "status").flatMap(Receipt::status);
        if (id.isEmpty() || status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Receipt(id.get(), status.get(), JsonFields.string(o, "by", ""),
                                       JsonFields.instant(o, "at").orElseGet(Instant::now)));
    }

    private static Optional<Status> status(String wire) {
        return switch (wire) {
            case "delivered" -> Optional.of(Status.DELIVERED);
            case "read" -> Optional.of(Status.READ);
            default -> Optional.empty();
        };
    }
}
