package com.matchbook.realtime.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonValue;

/**
 * How the memory store keeps an entry: one byte array with everything but its stream user and seq, which the stream
 * gives; the bytes live in the {@link EntrySlab}, off the heap. A message and its sender's copy differ only in those
 * two, so the message is encoded once for both streams.
 *
 * <p>Why not keep the {@link Message} objects: the memory store keeps every entry, and each kept object was copied by
 * the young collector until promoted and then remembered by the old generation. A message kept as objects was about
 * thirteen of them (two entries, id, text and recipient strings with their arrays, the instant, the id index's node
 * and boxed seq). In the benchmark's p2p scenario (bench/README.md; async-profiler on the server's one core, ZGC) the
 * collector's threads took 35% of the core at 10,000-15,000 msg/s; with the entries encoded, about 10%.
 *
 * <p>Layout (big-endian): flags byte; id, from, to; channel when present; sentAt (epoch seconds as a long, nanos as
 * an int); then, each when its flag is set, editedAt, text, data (compact JSON), attachment (name, content type,
 * bytes) and update (action ordinal, at). A string or byte field is an int length then its UTF-8 or raw bytes. The
 * arrays are never changed once made: a new version of an entry is a new array.
 */
final class EntryCodec {
    private static final int UPDATE = 1;
    private static final int DELETED = 1 << 1;
    private static final int EDITED = 1 << 2;
    private static final int TEXT = 1 << 3;
    private static final int DATA = 1 << 4;
    private static final int ATTACHMENT = 1 << 5;
    private static final int CHANNEL = 1 << 6;

    private EntryCodec() {
    }

    /** Everything of {@code m} but {@link Message#user()}, {@link Message#seq()} and its acceptance time. */
    static byte[] encode(Message m) {
        String id = m.id();
        String from = m.from();
        String to = m.to();
        String channel = m.channel();
        String text = m.text().orElse(null);
        String data = m.data().map(JsonValue::toString).orElse(null);
        Attachment a = m.attachment().orElse(null);
        String name = a == null ? null : a.name();
        String type = a == null ? null : a.contentType();
        // Only a string with other characters than ASCII gets its UTF-8 array made here; an ASCII one (ids, user ids,
        // most texts) is written char by char into the entry. Those arrays were 4% of the bytes the server allocated
        // per message (docs/performance.md, "Allocation per message").
        byte[] idBytes = nonAscii(id);
        byte[] fromBytes = nonAscii(from);
        byte[] toBytes = nonAscii(to);
        byte[] channelBytes = nonAscii(channel);
        byte[] textBytes = nonAscii(text);
        byte[] dataBytes = nonAscii(data);
        byte[] nameBytes = nonAscii(name);
        byte[] typeBytes = nonAscii(type);
        Update update = m.update().orElse(null);
        Instant edited = m.editedAt().orElse(null);

        int flags = (update != null ? UPDATE : 0) | (m.deleted() ? DELETED : 0) | (edited != null ? EDITED : 0)
                | (text != null ? TEXT : 0) | (data != null ? DATA : 0) | (a != null ? ATTACHMENT : 0)
                | (channel != null ? CHANNEL : 0);
        int size = 1 + field(id, idBytes) + field(from, fromBytes) + field(to, toBytes) + field(channel, channelBytes)
                + 12 + (edited != null ? 12 : 0) + field(text, textBytes) + field(data, dataBytes)
                + field(name, nameBytes) + field(type, typeBytes) + (a != null ? field(a.bytes()) : 0)
                + (update != null ? 13 : 0);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) flags);
        put(out, id, idBytes);
        put(out, from, fromBytes);
        put(out, to, toBytes);
        put(out, channel, channelBytes);
        instant(out, m.sentAt());
        if (edited != null) {
            instant(out, edited);
        }
        put(out, text, textBytes);
        put(out, data, dataBytes);
        if (a != null) {
            put(out, name, nameBytes);
            put(out, type, typeBytes);
            put(out, a.bytes());
        }
        if (update != null) {
            out.put((byte) update.action().ordinal());
            instant(out, update.at());
        }
        return out.array();
    }

    /** The entry of {@code user}'s stream at {@code seq} that {@code entry} holds; its acceptance time is 0. */
    static Message decode(byte[] entry, String user, long seq) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        int flags = in.get();
        String id = string(in);
        String from = string(in);
        String to = string(in);
        String channel = (flags & CHANNEL) != 0 ? string(in) : null;
        Instant sentAt = instant(in);
        Instant edited = (flags & EDITED) != 0 ? instant(in) : null;
        String text = (flags & TEXT) != 0 ? string(in) : null;
        JsonValue data = (flags & DATA) != 0 ? JsonText.parse(string(in)) : null;
        Attachment attachment = null;
        if ((flags & ATTACHMENT) != 0) {
            String name = string(in);
            String type = string(in);
            attachment = new Attachment(name, type, bytes(in));
        }
        Update update = null;
        if ((flags & UPDATE) != 0) {
            Update.Action action = Update.Action.values()[in.get()];
            update = new Update(action, instant(in));
        }
        return new Message(user, seq, id, channel, from, to, text, data, attachment, sentAt, edited,
                           (flags & DELETED) != 0, update, 0);
    }

    /** Whether the entry is about the message {@code id} (its own id, or the id an update entry names). */
    static boolean hasId(byte[] entry, byte[] id) {
        int n = ByteBuffer.wrap(entry).getInt(1);
        return n == id.length && Arrays.equals(entry, 5, 5 + n, id, 0, n);
    }

    /** Whether the entry is an update entry rather than a message. */
    static boolean isUpdate(byte[] entry) {
        return (entry[0] & UPDATE) != 0;
    }

    /** The entry's id (for an update entry, the id of the message it is about), read without decoding the rest. */
    static String id(byte[] entry) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        in.position(1);
        return string(in);
    }

    /**
     * The entry's {@code sentAt}, read without decoding the rest. The minute's trim reads it for every stream's oldest
     * entry on the journal's applier, in code that runs too rarely to be compiled; decoding those entries whole
     * (strings, JSON, the message record) made the trim's second the slowest around it at 5,000 users
     * (docs/performance.md, "The snapshot's stalls taken out: kept").
     */
    static Instant sentAt(byte[] entry) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        int flags = in.get();
        skip(in);   // the id
        skip(in);   // from
        skip(in);   // to
        if ((flags & CHANNEL) != 0) {
            skip(in);
        }
        return instant(in);
    }

    /** The entry's {@code from}, read without decoding the rest. */
    static String from(byte[] entry) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        in.position(1);
        skip(in);   // the id
        return string(in);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code s} in UTF-8 when it has a character outside ASCII; null when it is null or all ASCII. */
    private static byte[] nonAscii(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return utf8(s);
            }
        }
        return null;
    }

    private static int field(byte[] bytes) {
        return bytes == null ? 0 : 4 + bytes.length;
    }

    /** @param utf8 {@code s} in UTF-8, or null when it is all ASCII (one byte per char) */
    private static int field(String s, byte[] utf8) {
        return s == null ? 0 : 4 + (utf8 != null ? utf8.length : s.length());
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        if (bytes != null) {
            out.putInt(bytes.length).put(bytes);
        }
    }

    /** @param utf8 {@code s} in UTF-8, or null when it is all ASCII: then its chars are its bytes */
    private static void put(ByteBuffer out, String s, byte[] utf8) {
        if (s == null) {
            return;
        }
        if (utf8 != null) {
            put(out, utf8);
            return;
        }
        int n = s.length();
        out.putInt(n);
        byte[] array = out.array();
        int at = out.position();
        for (int i = 0; i < n; i++) {
            array[at + i] = (byte) s.charAt(i);
        }
        out.position(at + n);
    }

    private static void instant(ByteBuffer out, Instant at) {
        out.putLong(at.getEpochSecond()).putInt(at.getNano());
    }

    private static Instant instant(ByteBuffer in) {
        long seconds = in.getLong();
        return Instant.ofEpochSecond(seconds, in.getInt());
    }

    private static String string(ByteBuffer in) {
        int n = in.getInt();
        String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static byte[] bytes(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return b;
    }

    private static void skip(ByteBuffer in) {
        int n = in.getInt();
        in.position(in.position() + n);
    }
}
