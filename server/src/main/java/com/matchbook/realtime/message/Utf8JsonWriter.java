package com.matchbook.realtime.message;

import java.util.Arrays;

import jakarta.json.JsonValue;

/**
 * Writes one flat JSON object straight into UTF-8 bytes, for the two frames every message costs three times over
 * (its {@code message} frame to each of the two streams' connections and the sender's {@code ack}). Everything else
 * goes through JSON-P ({@code JsonText}), and so does any {@code data} value here ({@link JsonValue#toString()}).
 *
 * <p>Why by hand: Parsson writes to a {@code Writer}, so each frame cost a generator with its context stack, a lease
 * of its 4,096-char buffer, a {@code StringWriter} that grows, the {@code String}, and then the UTF-8 copy of it:
 * about ten allocations and three copies per frame, a third of all bytes the server allocated per message in the
 * benchmark's p2p scenario (async-profiler, allocation mode). This writes the bytes once.
 *
 * <p>The output is byte for byte what Parsson writes for the same calls (the tests hold it to that): strings escaped
 * as RFC 8259 section 7 requires and no more ({@code "}, {@code \}, and control characters, the common ones by their
 * short escapes, the rest as lowercase {@code \}{@code u00XX}); other characters in UTF-8, an unpaired surrogate as
 * {@code ?} (what {@link String#getBytes} writes). A frame's size is first estimated by an {@link #estimating} writer
 * from the strings' lengths alone, without reading their characters: that is exact for the usual frame, all plain
 * ASCII, so the writer then allocates its exact array and nothing else; an escape or a longer UTF-8 character makes
 * the array grow, and {@link #finish()} copies it to its exact size. (An earlier pass that read every character to
 * count exactly took about half of the frame's CPU: async-profiler, p2p at 30,000-40,000 msg/s, 2026-12-06.) Not
 * thread-safe; one instance per frame.
 */
public final class Utf8JsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Null while estimating. */
    private byte[] out;
    private int size;
    private boolean first = true;

    /** @param expected the size in bytes, from an {@link #estimating} pass or a guess (the buffer grows past it) */
    public Utf8JsonWriter(int expected) {
        this(new byte[Math.max(2, expected)]);
    }

    private Utf8JsonWriter(byte[] out) {
        this.out = out;
        put('{');
    }

    /**
     * A writer that writes nothing and counts bytes as if each char of every string were one byte, which it is for
     * ASCII that needs no escape: {@link #length()} after {@link #finish()} is then the exact size, and otherwise
     * never more than it (an escape or a UTF-8 character takes two bytes or more, a surrogate pair four for its two
     * chars, an unpaired surrogate one).
     */
    public static Utf8JsonWriter estimating() {
        return new Utf8JsonWriter((byte[]) null);
    }

    /** Bytes written so far (all of them after {@link #finish()}). */
    public int length() {
        return size;
    }

    /** {@code "name":"value"}, escaped. */
    public Utf8JsonWriter string(String name, String value) {
        name(name);
        quoted(value);
        return this;
    }

    /** {@code "name":n}. */
    public Utf8JsonWriter number(String name, long value) {
        name(name);
        digits(value);
        return this;
    }

    /** {@code "name":true|false}. */
    public Utf8JsonWriter bool(String name, boolean value) {
        name(name);
        ascii(value ? "true" : "false");
        return this;
    }

    /** {@code "name":} then {@code json}, a value as JSON-P writes it ({@link JsonValue#toString()}), as it is. */
    public Utf8JsonWriter raw(String name, String json) {
        name(name);
        utf8(json);
        return this;
    }

    /** Closes the object. @return its bytes, exactly sized (null for an estimating writer) */
    public byte[] finish() {
        put('}');
        if (out == null) {
            return null;
        }
        return size == out.length ? out : Arrays.copyOf(out, size);
    }

    private void name(String name) {
        if (!first) {
            put(',');
        }
        first = false;
        quoted(name);
        put(':');
    }

    private void quoted(String s) {
        if (out == null) {
            size += s.length() + 2;
            return;
        }
        put('"');
        int n = s.length();
        int i = plainRun(s, 0);
        while (i < n) {
            char c = s.charAt(i);
            if (c < 0x80) {
                escape(c);
            } else {
                i = nonAscii(s, i);
            }
            i = plainRun(s, i + 1);
        }
        put('"');
    }

    /**
     * Writes the characters from {@code from} that need no escape and are ASCII (most of every frame: ids, names,
     * times, plain text), one byte each, in one loop without {@link #put}'s checks: room for the rest of the string
     * is made first (escapes before it may have used what {@link #quoted} made).
     *
     * @return the index of the first character that needs more, or the string's length
     */
    private int plainRun(String s, int from) {
        int n = s.length();
        int i = from;
        room(n - from);
        byte[] b = out;
        int at = size;
        while (i < n) {
            char c = s.charAt(i);
            if (!plain(c)) {
                break;
            }
            b[at++] = (byte) c;
            i++;
        }
        size = at;
        return i;
    }

    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }

    /** A long in decimal, as {@link Long#toString(long)} writes it, without making the string. */
    private void digits(long value) {
        if (value == Long.MIN_VALUE) {
            ascii(Long.toString(value));   // its magnitude does not fit a long
            return;
        }
        if (value < 0) {
            put('-');
            value = -value;
        }
        int n = 1;
        for (long v = value; v >= 10; v /= 10) {
            n++;
        }
        if (out == null) {
            size += n;
            return;
        }
        room(n);
        for (int at = size + n - 1; at >= size; at--) {
            out[at] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += n;
    }

    private void escape(char c) {
        switch (c) {
            case '"' -> ascii("\\\"");
            case '\\' -> ascii("\\\\");
            case '\b' -> ascii("\\b");
            case '\f' -> ascii("\\f");
            case '\n' -> ascii("\\n");
            case '\r' -> ascii("\\r");
            case '\t' -> ascii("\\t");
            default -> {
                ascii("\\u00");
                put(HEX[c >> 4]);
                put(HEX[c & 15]);
            }
        }
    }

    /** Writes the character at {@code i} (not ASCII) in UTF-8. @return the index of its last char */
    private int nonAscii(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x800) {
            put(0xC0 | c >> 6);
            put(0x80 | c & 0x3F);
            return i;
        }
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            int cp = Character.toCodePoint(c, s.charAt(i + 1));
            put(0xF0 | cp >> 18);
            put(0x80 | cp >> 12 & 0x3F);
            put(0x80 | cp >> 6 & 0x3F);
            put(0x80 | cp & 0x3F);
            return i + 1;
        }
        if (Character.isSurrogate(c)) {
            put('?');
            return i;
        }
        put(0xE0 | c >> 12);
        put(0x80 | c >> 6 & 0x3F);
        put(0x80 | c & 0x3F);
        return i;
    }

    private void utf8(String s) {
        if (out == null) {
            size += s.length();
            return;
        }
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        room(b.length);
        System.arraycopy(b, 0, out, size, b.length);
        size += b.length;
    }

    private void ascii(String s) {
        int n = s.length();
        if (out == null) {
            size += n;
            return;
        }
        room(n);
        for (int i = 0; i < n; i++) {
            out[size++] = (byte) s.charAt(i);
        }
    }

    private void put(int b) {
        if (out == null) {
            size++;
            return;
        }
        if (size == out.length) {
            room(1);
        }
        out[size++] = (byte) b;
    }

    private void room(int n) {
        if (out != null && size + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + n));
        }
    }
}
