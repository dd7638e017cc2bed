package com.matchbook.realtime.protocol;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.json.JsonException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link JsonText}'s input rules beyond the JSON grammar: an escape may not spell half a character. */
class JsonTextTest {
    @Test
    void anEscapedLoneSurrogateIsRefusedFromTextAndFromBytes() {
        for (String json : List.of("\"\\ud800\"", "\"\\uDFFF\"", "[\"ok\",\"x\\udbff\"]", "{\"\\ud800\":1}",
                                   "{\"a\":{\"b\":[\"\\ude00\\ud83d\"]}}")) {
            assertThrows(JsonException.class, () -> JsonText.parse(json), json);
            assertThrows(JsonException.class,
                         () -> JsonText.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))), json);
        }
    }

    @Test
    void anEscapedPairIsOneCharacter() {
        assertEquals("\"\ud83d\ude00\"", JsonText.parse("\"\\ud83d\\ude00\"").toString());
        assertEquals("{\"k\":\"\u00e9\"}", JsonText.parse("{\"k\":\"\\u00e9\"}").toString());
    }
}
