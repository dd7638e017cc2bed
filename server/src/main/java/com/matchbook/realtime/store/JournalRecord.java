package com.matchbook.realtime.store;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonValue;

/**
 * The journal store's records: one per change, in the order the changes were applied, and the state records a
 * snapshot holds. A change record holds the call, not its outcome (seqs, refusals and expiries follow from the
 * calls in order), so replaying the records into an empty {@link MemoryStore} rebuilds the same streams.
 *
 * <p>Payload layout (big-endian): a type byte, then the fields of that type in the order {@link #replay} reads them.
 * A string is an int length and its UTF-8 bytes (-1 for none), an instant is epoch seconds (long) and nanos (int).
 * The framing around a payload (length, checksum) is {@link JournalFile}'s.
 */
final class JournalRecord {
    private static final byte APPEND = 1;
    private static final byte UPDATE = 2;
    private static final byte READ = 3;
    private static final byte CONFIRM = 4;
    private static final byte BLOCK = 5;
    private static final byte UNBLOCK = 6;
    private static final byte TRIM = 7;
    private static final byte EVICT = 8;
    private static final byte READ_AT = 9;
    private static final byte UPDATE_OF = 14;
    private static final byte ENTRY = 10;
    private static final byte READ_MARKER = 11;
    private static final byte KEY = 12;
    private static final byte HEAD = 13;

    private JournalRecord() {
    }

    /**
     * A send: the draft with its id and time as {@code entry}, the memory store's bytes of the message
     * ({@link EntryCodec#encode} of it, which leaves out the seq), and its idempotency key.
     */
    static byte[] append(byte[] entry, Optional<MessageStore.SendKey> key) {
        Out out = new Out(APPEND, entry.length + 64);
        out.bytes(entry);
        out.string(key.map(MessageStore.SendKey::key).orElse(null));
        out.string(key.map(MessageStore.SendKey::fingerprint).orElse(null));
        return out.done();
    }

    /** An edit or delete as {@link MessageStore#update} was called. */
    static byte[] update(String author, String messageId, Update.Action action, Optional<String> text,
                         Optional<JsonValue> data, Instant at, Duration editWindow) {
        Out out = new Out(UPDATE);
        out.string(author);
        out.string(messageId);
        return change(out, action, text, data, at, editWindow);
    }

    /** The fields of an edit or delete that {@link #update} and {@link #updateOf} share, in that order. */
    private static byte[] change(Out out, Update.Action action, Optional<String> text, Optional<JsonValue> data,
                                 Instant at, Duration editWindow) {
        out.buffer.write(action.ordinal());
        out.string(text.orElse(null));
        out.string(data.map(JsonValue::toString).orElse(null));
        out.instant(at);
        out.number(editWindow.toNanos());
        return out.done();
    }

    static byte[] read(String user, String messageId) {
        return new Out(READ).string(user).string(messageId).done();
    }

    static byte[] confirm(String user, long seq) {
        return new Out(CONFIRM).string(user).number(seq).done();
    }

    static byte[] block(String user, String other, boolean on) {
        return new Out(on ? BLOCK : UNBLOCK).string(user).string(other).done();
    }

    static byte[] trim(Instant now) {
        return new Out(TRIM).instant(now).done();
    }

    /** The user's entries up to {@code upToSeq} left memory for the {@link TieredStore}'s archive (an outcome). */
    static byte[] evict(String user, long upToSeq) {
        return new Out(EVICT).string(user).number(upToSeq).done();
    }

    /** A read marker moved to a message held only in the {@link TieredStore}'s archive (an outcome). */
    static byte[] readAt(String user, String peer, long seq) {
        return new Out(READ_AT).string(user).string(peer).number(seq).done();
    }

    /**
     * An edit or delete of a message whose author's copy is held only in the {@link TieredStore}'s archive: the call
     * with that copy as it was, so the replay does not depend on the archive.
     */
    static byte[] updateOf(Message archived, Update.Action action, Optional<String> text, Optional<JsonValue> data,
                           Instant at, Duration editWindow) {
        byte[] copy = EntryCodec.encode(archived);
        Out out = new Out(UPDATE_OF, copy.length + 128);
        out.string(archived.user());
        out.number(archived.seq());
        out.bytes(copy);
        return change(out, action, text, data, at, editWindow);
    }

    /**
     * Where a snapshot's records go: each payload is put straight into the buffer {@link #begin} returns (a snapshot
     * holds millions of records, and an array per record was the garbage that ran the collector inside the
     * benchmark's latency windows). {@link JournalFile#writeSnapshot} frames them in place.
     */
    interface RecordOut {
        /** A buffer positioned at a new payload's first byte, with at least {@code maxPayload} bytes remaining. */
        ByteBuffer begin(int maxPayload);

        /** The payload is what was put into the buffer since {@link #begin}. */
        void end();
    }

    /** The records of a snapshot, written to {@code out}: the memory store's whole state, one payload per part. */
    static MemoryStore.StateSink snapshot(RecordOut out) {
        return new MemoryStore.StateSink() {
            private String lastUser;
            private byte[] lastUserBytes;

            @Override
            public void entry(String user, long seq, ByteBuffer encoded) {
                byte[] u = utf8(user);
                ByteBuffer b = out.begin(1 + 4 + u.length + 8 + 4 + encoded.remaining());
                b.put(ENTRY);
                put(b, u);
                b.putLong(seq).putInt(encoded.remaining()).put(encoded);
                out.end();
            }

            @Override
            public void readMarker(String user, String peer, long seq) {
                byte[] u = utf8(user);
                byte[] p = peer.getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = out.begin(1 + 4 + u.length + 4 + p.length + 8);
                b.put(READ_MARKER);
                put(b, u);
                put(b, p);
                b.putLong(seq);
                out.end();
            }

            @Override
            public void key(String sender, String key, String id, long seq, String fingerprint, Instant expiresAt) {
                byte[] u = utf8(sender);
                byte[] k = bytesOf(key);
                byte[] i = bytesOf(id);
                byte[] f = bytesOf(fingerprint);
                ByteBuffer b = out.begin(1 + 4 + u.length + 4 + length(k) + 4 + length(i) + 8 + 4 + length(f) + 12);
                b.put(KEY);
                put(b, u);
                put(b, k);
                put(b, i);
                b.putLong(seq);
                put(b, f);
                b.putLong(expiresAt.getEpochSecond()).putInt(expiresAt.getNano());
                out.end();
            }

            @Override
            public void head(String user, long lastSeq, long confirmed) {
                byte[] u = utf8(user);
                ByteBuffer b = out.begin(1 + 4 + u.length + 16);
                b.put(HEAD);
                put(b, u);
                b.putLong(lastSeq).putLong(confirmed);
                out.end();
            }

            @Override
            public void block(String user, String other) {
                writeWhole(JournalRecord.block(user, other, true));
            }

            /** A user's parts come together: its name is encoded once for all of its entries. */
            private byte[] utf8(String user) {
                if (!user.equals(lastUser)) {
                    lastUser = user;
                    lastUserBytes = user.getBytes(StandardCharsets.UTF_8);
                }
                return lastUserBytes;
            }

            private void writeWhole(byte[] payload) {
                out.begin(payload.length).put(payload);
                out.end();
            }
        };
    }

    /** A string field as {@link Out#string} writes it: its UTF-8 bytes after their length, or -1 for none. */
    private static void put(ByteBuffer b, byte[] string) {
        if (string == null) {
            b.putInt(-1);
        } else {
            b.putInt(string.length).put(string);
        }
    }

    private static byte[] bytesOf(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /**
     * Applies one record to {@code memory}, as the call it records would have. Refusals are the same as the first
     * time and are ignored.
     *
     * @throws IllegalArgumentException when the payload is not a record this version writes
     */
    static void replay(ByteBuffer in, MemoryStore memory) {
        byte type = in.get();
        switch (type) {
            case APPEND -> {
                byte[] entry = bytes(in);
                Message m = EntryCodec.decode(entry, "", 0);
                String key = string(in);
                String fingerprint = string(in);
                Draft draft = new Draft(m.from(), m.to(), m.channel(), m.text().orElse(null), m.data().orElse(null),
                                        m.attachment().orElse(null));
                memory.append(draft, m.id(), m.sentAt(), 0,
                              Optional.ofNullable(key).map(k -> new MessageStore.SendKey(k, fingerprint)), entry);
            }
            case UPDATE -> {
                String author = string(in);
                String id = string(in);
                Update.Action action = Update.Action.values()[in.get()];
                Optional<String> text = Optional.ofNullable(string(in));
                Optional<JsonValue> data = Optional.ofNullable(string(in)).map(JsonText::parse);
                memory.update(author, id, action, text, data, instant(in), Duration.ofNanos(in.getLong()));
            }
            case UPDATE_OF -> {
                String author = string(in);
                long seq = in.getLong();
                Message archived = EntryCodec.decode(bytes(in), author, seq);
                Update.Action action = Update.Action.values()[in.get()];
                Optional<String> text = Optional.ofNullable(string(in));
                Optional<JsonValue> data = Optional.ofNullable(string(in)).map(JsonText::parse);
                memory.update(author, archived.id(), action, text, data, instant(in), Duration.ofNanos(in.getLong()),
                              archived);
            }
            case EVICT -> memory.evict(string(in), in.getLong());
            case READ_AT -> memory.raiseRead(string(in), string(in), in.getLong());
            case READ -> memory.markRead(string(in), string(in));
            case CONFIRM -> memory.confirm(string(in), in.getLong());
            case BLOCK -> memory.block(string(in), string(in));
            case UNBLOCK -> memory.unblock(string(in), string(in));
            case TRIM -> memory.trim(instant(in));
            case ENTRY -> memory.restoreEntry(string(in), in.getLong(), bytes(in));
            case READ_MARKER -> memory.restoreReadMarker(string(in), string(in), in.getLong());
            case KEY -> memory.restoreKey(string(in), string(in), string(in), in.getLong(), string(in), instant(in));
            case HEAD -> memory.restoreHead(string(in), in.getLong(), in.getLong());
            default -> throw new IllegalArgumentException("unknown journal record type " + type);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] b = bytes(in);
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static Instant instant(ByteBuffer in) {
        return Instant.ofEpochSecond(in.getLong(), in.getInt());
    }

    /** A payload being written. */
    private static final class Out {
        private final ByteArrayOutputStream buffer;

        Out(byte type) {
            this(type, 64);
        }

        Out(byte type, int expectedSize) {
            buffer = new ByteArrayOutputStream(expectedSize);
            buffer.write(type);
        }

        Out string(String s) {
            return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        Out bytes(byte[] b) {
            if (b == null) {
                integer(-1);
            } else {
                integer(b.length);
                buffer.writeBytes(b);
            }
            return this;
        }

        Out number(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer.write((int) (v >>> shift));
            }
            return this;
        }

        Out instant(Instant at) {
            number(at.getEpochSecond());
            integer(at.getNano());
            return this;
        }

        byte[] done() {
            return buffer.toByteArray();
        }

        private void integer(int v) {
            for (int shift = 24; shift >= 0; shift -= 8) {
                buffer.write(v >>> shift);
            }
        }
    }
}
