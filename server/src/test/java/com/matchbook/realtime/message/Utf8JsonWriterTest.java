package com.matchbook.realtime.message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import com.matchbook.realtime.protocol.JsonText;
import com.matchbook.realtime.protocol.MessageJson;
import com.matchbook.realtime.protocol.WireMessage;

import jakarta.json.Json;
import jakarta.json.JsonValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written frames must be the bytes the JSON-P path sent for the same message, for any text. */
class Utf8JsonWriterTest {

    private static String parsson(WireMessage m) {
        return visible(asSent(MessageJson.frameJson(m)));
    }

    private static String ours(WireMessage m) {
        return visible(new String(Frames.messageJson(m), StandardCharsets.UTF_8));
    }

    /** What went on the wire before: the JSON-P text in UTF-8 (an unpaired surrogate becomes '?'). */
    private static String asSent(String json) {
        return new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** Every char outside printable ASCII as a Java escape, so that a failure report shows the difference. */
    private static String visible(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("<%04x>", c)));
        return b.toString();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(60),          // any char, lone surrogates included
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(60),
                Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028€😀ü").ofMaxLength(30));
    }

    @Property(tries = 400)
    void aMessageFrameIsWhatJsonPWrites(@ForAll("texts") String text, @ForAll("texts") String from,
                                        @ForAll boolean edited, @ForAll boolean deleted, @ForAll boolean broadcast,
                                        @ForAll boolean withData) {
        JsonValue data = withData
                ? Json.createObjectBuilder().add("k", text).add("n", 12.5).add("list", Json.createArrayBuilder()
                        .add(1).add(JsonValue.NULL).add(text)).build()
                : null;
        Instant sent = Instant.ofEpochSecond(1_764_000_000L, 123_456_789L);
        WireMessage m = new WireMessage("01JDX5Q8ZJ3K4M5N6P7Q8R9STV", 42, "chat", from, "bob", deleted ? null : text,
                                        deleted ? null : data, null, sent, broadcast,
                                        edited ? sent.plusSeconds(5) : null, deleted);
        assertEquals(parsson(m), ours(m));
    }

    @Property(tries = 200)
    void anAckIsWhatJsonPWrites(@ForAll("texts") String ref, @ForAll long seq, @ForAll boolean numberRef) {
        Optional<JsonValue> r = numberRef ? Optional.of(Json.createValue(seq)) : Optional.of(Json.createValue(ref));
        for (Optional<JsonValue> maybe : java.util.List.of(r, Optional.<JsonValue>empty())) {
            String expected = JsonText.object(g -> {
                g.write("type", "ack");
                maybe.ifPresent(v -> g.write("ref", v));
                g.write("id", "id-1").write("seq", seq);
            });
            assertEquals(visible(asSent(expected)), visible(Frames.ack(maybe, "id-1", seq).text()));
        }
    }

    /** The estimate sizes the array: exact when every char is plain ASCII, never above the bytes written. */
    @Property(tries = 300)
    void anEstimateIsExactForPlainAsciiAndNeverMoreThanTheBytesWritten(@ForAll("texts") String text, @ForAll long n,
                                                                        @ForAll("plain") String plainText) {
        for (String t : java.util.List.of(text, plainText)) {
            for (String raw : java.util.List.of("[1,\"a\"]", "[1,\"€\"]")) {
                Utf8JsonWriter estimating = Utf8JsonWriter.estimating().string("t", t).number("n", n).raw("d", raw);
                estimating.finish();
                byte[] written = new Utf8JsonWriter(2).string("t", t).number("n", n).raw("d", raw).finish();
                boolean plain = (t + raw).chars().allMatch(c -> c < 0x80)
                        && t.chars().allMatch(c -> c >= 0x20 && c != '"' && c != '\\');
                if (plain) {
                    assertEquals(written.length, estimating.length(), "plain ASCII is estimated exactly");
                } else {
                    assertTrue(estimating.length() <= written.length, estimating.length() + " > " + written.length);
                }
            }
        }
    }

    /** Printable ASCII and DEL, less the two characters JSON escapes: written one byte each. */
    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.strings().withCharRange(' ', '\u007f').excludeChars('"', '\\').ofMaxLength(200);
    }

    /** Escapes and multi-byte characters write more than one byte per char: a short guess must grow, not overrun. */
    @Property(tries = 300)
    void aWriterStartedTooSmallGrowsAndWritesWhatJsonPWrites(@ForAll("texts") String text, @ForAll long n,
                                                            @ForAll("texts") String name) {
        String expected = JsonText.object(g -> g.write(name, text).write("n", n).write(text, n));
        byte[] written = new Utf8JsonWriter(2).string(name, text).number("n", n).number(text, n).finish();
        assertEquals(visible(asSent(expected)), visible(new String(written, StandardCharsets.UTF_8)));
    }

    @Test
    void numbersAreWrittenAsLongToStringWritesThem() {
        for (long n : new long[] {0, 7, -7, 9, 10, -10, 99, 100, 1_000_000_007L, Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE + 1}) {
            byte[] b = new Utf8JsonWriter(2).number("n", n).finish();
            assertEquals("{\"n\":" + n + "}", new String(b, StandardCharsets.US_ASCII));
            assertEquals(b.length, estimated(n));
        }
    }

    private static int estimated(long n) {
        Utf8JsonWriter w = Utf8JsonWriter.estimating().number("n", n);
        w.finish();
        return w.length();
    }

    @Test
    void controlCharactersQuotesAndAstralCharactersAreEscapedAsTheRfcSays() {
        byte[] b = new Utf8JsonWriter(4).string("t", "a\"b\\c\n\u0001\u001f😀/").number("n", -7).bool("x", false)
                .finish();
        assertEquals("{\"t\":\"a\\\"b\\\\c\\n\\u0001\\u001f😀/\",\"n\":-7,\"x\":false}",
                     new String(b, StandardCharsets.UTF_8));
    }
}
