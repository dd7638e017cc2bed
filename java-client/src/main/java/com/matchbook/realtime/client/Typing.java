package com.matchbook.realtime.client;

import java.util.Optional;

import com.matchbook.realtime.protocol.JsonFields;

import jakarta.json.JsonObject;

/**
 * Someone is typing to this user (or stopped).
 *
 * @param from  who types
 * @param state start or stop
 */
public record Typing(String from, TypingState state) {

    static Optional<Typing> fromJson(JsonObject o) {
        Optional<String> from = JsonFields.string(o, "from");
        Optional<TypingState> state = JsonFields.string(o, "state").flatMap(TypingState::fromWire);
        return from.isPresent() && state.isPresent() ? Optional.of(new Typing(from.get(), state.get()))
                                                     : Optional.empty();
    }
}
