package com.matchbook.realtime.client;

import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Lenient reading of server JSON: a field of the wrong type reads as absent, unknown fields are ignored (the contract
 * lets the server add fields), and nothing here throws on bad input.
 */
final class JsonFields {
    private JsonFields() {
    }

    static Optional<JsonObject> parseObject(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue() instanceof JsonObject o ? Optional.of(o) : Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    static Optional<String> string(JsonObject o, String field) {
        return o.get(field) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    static String string(JsonObject o, String field, String fallback) {
        return string(o, field).orElse(fallback);
    }

    static OptionalLong number(JsonObject o, String field) {
        return o.get(field) instanceof JsonNumber n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    static boolean bool(JsonObject o, String field, boolean fallback) {
        JsonValue v = o.get(field);
        if (v == JsonValue.TRUE) {
            return true;
        }
        return v == JsonValue.FALSE ? false : fallback;
    }

    static Optional<JsonObject> object(JsonObject o, String field) {
        return o.get(field) instanceof JsonObject child ? Optional.of(child) : Optional.empty();
    }

    static Optional<Instant> instant(JsonObject o, String field) {
        try {
            return string(o, field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A {@code ref} is echoed as the client sent it; ours are strings, but accept numbers too. */
    static Optional<String> ref(JsonObject o) {
        JsonValue v = o.get("ref");
        if (v instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        return v instanceof JsonNumber n ? Optional.of(n.toString()) : Optional.empty();
    }
}
