package com.matchbook.realtime.message;

import java.io.InputStream;
import java.io.StringReader;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;

/**
 * Parsing JSON on the hot path. {@code Json.createReader} looks the JSON-P provider up again on every call (a
 * ServiceLoader walk, tens of kilobytes of garbage per frame); one factory, made once, does not.
 */
public final class JsonText {
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

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
}
