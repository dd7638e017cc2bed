package com.matchbook.realtime.support;

import java.io.StringReader;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

/** Parsing for assertions. */
public final class Json {
    private Json() {
    }

    public static JsonObject parse(String text) {
        try (JsonReader r = jakarta.json.Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }
}
