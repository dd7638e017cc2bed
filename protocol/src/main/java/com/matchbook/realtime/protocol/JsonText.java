package com.matchbook.realtime.protocol;

import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * JSON text in and out on the hot path. {@code Json.createReader} and {@code Json.createGenerator} look the JSON-P
 * provider up again on every call (a ServiceLoader walk, tens of kilobytes of garbage per frame); one factory each,
 * made once, does not. Objects are written with the streaming generator straight into a string: no object tree per
 * frame, and escaping stays the library's job.
 */
public final class JsonText {
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private JsonText() {
    }

    /** @throws jakarta.json.JsonException when the text is not JSON */
    public static JsonValue parse(String text) {
        try (JsonReader r = READERS.createReader(new StringReader(text))) {
            return r.readValue();
        }
    }

    /** @throws jakarta.json.JsonException when the bytes are not JSON */
    public static JsonValue parse(InputStream utf8) {
        try (JsonReader r = READERS.createReader(utf8)) {
            return r.readValue();
        }
    }

    /** The JSON object in {@code text}; empty when it is not JSON or not an object. Never throws on bad input. */
    public static Optional<JsonObject> parseObject(String text) {
        try {
            return parse(text) instanceof JsonObject o ? Optional.of(o) : Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /** One JSON object as text: {@code body} writes its members into the open object. */
    public static String object(Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            body.accept(g);
            g.writeEnd();
        }
        return out.toString();
    }
}
