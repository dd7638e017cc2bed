package com.matchbook.realtime.message;

import java.util.Optional;

import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.UserId;
import com.matchbook.realtime.protocol.Utf8;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads a message to send out of a JSON object: the body of {@code /send-message}, a {@code send} frame, or a binary
 * frame's header. One set of rules for every door.
 */
public final class Drafts {
    public static final String DEFAULT_CHANNEL = "chat";
    private static final int MAX_CHANNEL = 64;

    private final long maxTextBytes;

    public Drafts(long maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
    }

    /**
     * @param from        the sender, already decided by the caller (socket user, token subject, or body field)
     * @param attachment  the binary payload, or null for a text/data message
     */
    public Draft read(JsonObject o, String from, Attachment attachment) {
        String to = requiredId(o, "to");
        String channel = optionalString(o, "channel").orElse(DEFAULT_CHANNEL);
        if (!validChannel(channel)) {
            throw BadInputException.invalid("channel", "must be 1 to " + MAX_CHANNEL
                    + " characters of A-Z a-z 0-9 . _ - : /");
        }
        // "message" is the SSE era's name for "text".
        Optional<String> text = optionalString(o, "text").or(() -> optionalString(o, "message"));
        JsonValue data = o.get("data");
        if (data != null && data.getValueType() == JsonValue.ValueType.NULL) {
            data = null;
        }
        if (text.isEmpty() && data == null && attachment == null) {
            throw new BadInputException(400, "missing_field", "'text' or 'data' is required");
        }
        if (text.isPresent() && Utf8.length(text.get()) > maxTextBytes) {
            throw BadInputException.tooLarge("'text'", maxTextBytes);
        }
        return new Draft(from, to, channel, text.orElse(null), data, attachment);
    }

    /** A user id field that must be present and legal. */
    public static String requiredId(JsonObject o, String field) {
        return validId(field, optionalString(o, field).orElseThrow(() -> BadInputException.missing(field)));
    }

    /**
     * {@code id} itself when it follows the user id rule ({@link UserId}, PROTOCOL.md "User ids").
     *
     * @param field where the id came from (a body field, query or path parameter), named in the error
     * @throws BadInputException 400 {@code invalid_field}, saying which part of the rule it breaks
     */
    public static String validId(String field, String id) {
        if (!UserId.isValid(id)) {
            throw BadInputException.invalid(field, "is not a valid user id: " + UserId.problem(id));
        }
        return id;
    }

    /** A string field; present with another JSON type is an error, not an absence. */
    public static Optional<String> optionalString(JsonObject o, String field) {
        JsonValue v = o.get(field);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (v instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        throw BadInputException.invalid(field, "must be a string");
    }

    private static boolean validChannel(String channel) {
        if (channel.isEmpty() || channel.length() > MAX_CHANNEL) {
            return false;
        }
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
