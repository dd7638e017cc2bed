package com.matchbook.realtime.protocol;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Lenient reading of server JSON: a field of the wrong type reads as absent, unknown fields are ignored (the contract
 * lets the server add fields), and nothing here throws on bad input.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** The string {@code field} of {@code o}; empty when absent or not a string. */
    public static Optional<String> string(JsonObject o, String field) {
        return o.get(field) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    /** The string {@code field} of {@code o}, or {@code fallback} when absent or not a string. */
    public static String string(JsonObject o, String field, String fallback) {
        return string(o, field).orElse(fallback);
    }

    /** The number {@code field} of {@code o} as a long (fractions cut); empty when absent or not a number. */
    public static OptionalLong number(JsonObject o, String field) {
        return o.get(field) instanceof JsonNumber n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    /** The boolean {@code field} of {@code o}, or {@code fallback} when absent or not a boolean. */
    public static boolean bool(JsonObject o, String field, boolean fallback) {
        JsonValue v = o.get(field);
        if (v == JsonValue.TRUE) {
            return true;
        }
        return v == JsonValue.FALSE ? false : fallback;
    }

    /** The object {@code field} of {@code o}; empty when absent or not an object. */
    public static Optional<JsonObject> object(JsonObject o, String field) {
        return o.get(field) instanceof JsonObject child ? Optional.of(child) : Optional.empty();
    }

    /** The ISO-8601 instant {@code field} of {@code o}; empty when absent, not a string or not an instant. */
    public static Optional<Instant> instant(JsonObject o, String field) {
        try {
            return string(o, field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A {@code ref} is echoed as the client sent it; ours are strings, but accept numbers too. */
    public static Optional<String> ref(JsonObject o) {
        JsonValue v = o.get("ref");
        if (v instanceof JsonString s) {
            return Optional.of(s.getString());
        }
        return v instanceof JsonNumber n ? Optional.of(n.toString()) : Optional.empty();
    }
}
