package com.matchbook.realtime.client;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.matchbook.realtime.protocol.BinaryFrames;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;

/** The client's frames, spelled as docs/protocol.md ("Frames", client to server) spells them. */
final class Outbound {
    private Outbound() {
    }

    /** A text frame or a binary one: what the single writer puts on the socket. */
    sealed interface Frame permits Text, Binary {
    }

    record Text(String json) implements Frame {
    }

    record Binary(byte[] bytes) implements Frame {
    }

    /** {@code key}: the idempotency key (docs/protocol.md 1.1, "Idempotent sends"), kept when the frame is resent. */
    static Text send(String ref, String key, String to, String channel, Optional<String> text,
                     Optional<JsonValue> data) {
        return new Text(sendObject(ref, key, to, channel, text, data, g -> { }));
    }

    /** A file: the header is a {@code send} object plus {@code name} and {@code contentType}. */
    static Binary sendFile(String ref, String key, String to, String channel, String name, String contentType,
                           byte[] payload) {
        String header = sendObject(ref, key, to, channel, Optional.empty(), Optional.empty(),
                                   g -> g.write("name", name).write("contentType", contentType));
        return new Binary(BinaryFrames.encode(header, payload));
    }

    /** docs/protocol.md 1.1 {@code edit}: new text and/or data for a message this user wrote. */
    static Text edit(String ref, String id, Optional<String> text, Optional<JsonValue> data) {
        return new Text(object(g -> {
            g.write("type", "edit").write("ref", ref).write("id", id);
            text.ifPresent(t -> g.write("text", t));
            data.ifPresent(d -> g.write("data", d));
        }));
    }

    /** docs/protocol.md 1.1 {@code delete}. */
    static Text delete(String ref, String id) {
        return new Text(object(g -> g.write("type", "delete").write("ref", ref).write("id", id)));
    }

    static Text received(long seq) {
        return new Text(object(g -> g.write("type", "received").write("seq", seq)));
    }

    static Text read(String messageId) {
        return new Text(object(g -> g.write("type", "read").write("id", messageId)));
    }

    static Text typing(String to, TypingState state) {
        return new Text(object(g -> g.write("type", "typing").write("to", to).write("state", state.wire())));
    }

    static Text subscribe(List<String> channels) {
        return new Text(object(g -> {
            g.write("type", "subscribe").writeStartArray("channels");
            channels.forEach(g::write);
            g.writeEnd();
        }));
    }

    static Text auth(String token) {
        return new Text(object(g -> g.write("type", "auth").write("token", token)));
    }

    private static String sendObject(String ref, String key, String to, String channel, Optional<String> text,
                                     Optional<JsonValue> data, Consumer<JsonGenerator> extra) {
        return object(g -> {
            g.write("type", "send").write("ref", ref).write("key", key).write("to", to).write("channel", channel);
            text.ifPresent(t -> g.write("text", t));
            data.ifPresent(d -> g.write("data", d));
            extra.accept(g);
        });
    }

    private static String object(Consumer<JsonGenerator> body) {
        return JsonText.object(body);
    }
}
