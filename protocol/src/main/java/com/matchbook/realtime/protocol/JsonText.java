package com.matchbook.realtime.protocol;

import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;

/**
 * JSON text in and out on the hot path. {@code Json.createReader} and {@code Json.createGenerator} look the JSON-P
 * provider up again on every call (a ServiceLoader walk, tens of kilobytes of garbage per frame); one factory each,
 * made once, does not. Objects are written with the streaming generator straight into a string: no object tree per
 * frame, and escaping stays the library's job.
 *
 * <p>Parsing follows the input rules of PROTOCOL.md "POST /send-message" (1.1), which hold for socket frames too:
 * exactly one JSON value, then nothing but whitespace; nesting at most {@link #MAX_DEPTH} levels. The depth is the
 * JSON-P provider's own limit (Parsson's {@code org.eclipse.parsson.maxDepth}, 1000 by default, deep enough for a
 * recursive walk of the result to overflow the stack), so a deep document fails while it is parsed.
 */
public final class JsonText {
    /** PROTOCOL.md: "nests deeper than 64 levels is malformed". */
    public static final int MAX_DEPTH = 64;
    /** Parsson's property name ({@code org.eclipse.parsson.api.JsonConfig.MAX_DEPTH}); other providers ignore it. */
    private static final String PARSSON_MAX_DEPTH = "org.eclipse.parsson.maxDepth";
    /** Parsson 1.1 refuses a document that reaches its limit, so the limit is one past the deepest allowed. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of(PARSSON_MAX_DEPTH, MAX_DEPTH + 1));
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private JsonText() {
    }

    /**
     * @throws jakarta.json.JsonException when the text is not exactly one JSON value within the depth limit, or a
     *                                    backslash-u escape in it leaves an unpaired surrogate
     */
    public static JsonValue parse(String text) {
        try (JsonParser p = PARSERS.createParser(new StringReader(text))) {
            JsonValue value = one(p);
            if (text.indexOf("\\u") >= 0) {   // only an escape can spell a lone surrogate in valid UTF-8 input
                refuseLoneSurrogates(value);
            }
            return value;
        }
    }

    /**
     * @param utf8 the bytes, already known to be UTF-8 (callers check: the provider would replace bad bytes)
     * @throws jakarta.json.JsonException when the bytes are not exactly one JSON value within the depth limit
     */
    public static JsonValue parse(InputStream utf8) {
        try (JsonParser p = PARSERS.createParser(utf8)) {
            JsonValue value = one(p);
            refuseLoneSurrogates(value);
            return value;
        }
    }

    /**
     * A backslash-u escape of a surrogate (D800-DFFF) without its pair parses to a string that no UTF-8 can carry
     * (RFC 8259 section 8.2 leaves its meaning open; RFC 3629 section 3 excludes surrogates): stored, it would come
     * out as a {@code ?} or U+FFFD, a text the sender never wrote. Refused as malformed instead, like any other input
     * the server would have to alter. The recursion is at most {@link #MAX_DEPTH} deep: the parser refused deeper.
     */
    private static void refuseLoneSurrogates(JsonValue value) {
        switch (value) {
            case JsonString s -> refuseLoneSurrogates(s.getString());
            case JsonObject o -> o.forEach((k, v) -> {
                refuseLoneSurrogates(k);
                refuseLoneSurrogates(v);
            });
            case JsonArray a -> a.forEach(v -> refuseLoneSurrogates(v));
            default -> {
            }
        }
    }

    private static void refuseLoneSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new JsonParsingException("a \\u escape leaves an unpaired surrogate, which is not a character",
                                               null);
            }
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

    private static JsonValue one(JsonParser p) {
        try {
            if (!p.hasNext()) {
                throw new JsonParsingException("no JSON value", p.getLocation());
            }
            p.next();
            JsonValue value = p.getValue();
            if (p.hasNext()) {
                throw new JsonParsingException("content after the JSON value", p.getLocation());
            }
            return value;
        } catch (JsonException e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson 1.1 reports "Input is too deeply nested" as a bare RuntimeException, not a JsonException.
            throw new JsonParsingException(e.getMessage(), e, p.getLocation());
        }
    }
}
