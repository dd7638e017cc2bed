package com.matchbook.realtime.message;

import java.util.Optional;

import com.matchbook.realtime.protocol.Attachment;

import jakarta.json.JsonValue;

/**
 * A message accepted from a client but not yet numbered: {@code /send-message}, a {@code send} frame, or a binary
 * frame. Validated before it is built.
 */
public record Draft(String from, String to, String channel, String text, JsonValue data, Attachment attachment) {

    public Optional<String> textValue() {
        return Optional.ofNullable(text);
    }

    public Optional<JsonValue> dataValue() {
        return Optional.ofNullable(data);
    }

    public Optional<Attachment> attachmentValue() {
        return Optional.ofNullable(attachment);
    }
}
