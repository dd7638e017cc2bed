package com.matchbook.bench.engines;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Byte layouts for the key-value engines: keys that sort as the lookups need them (a user's entries by seq, a
 * conversation's by seq, a user's conversations by activity) and the entry's value, everything but the key's parts.
 */
final class Keys {
    static final byte STREAM = 'S';
    static final byte PAGE = 'P';
    static final byte ID = 'I';
    static final byte CONVERSATION = 'C';
    static final byte ACTIVITY = 'A';

    private Keys() {
    }

    /** {@code S user 0 seq}: a user's stream in seq order. */
    static byte[] stream(String user, long seq) {
        byte[] u = utf8(user);
        return ByteBuffer.allocate(1 + u.length + 1 + 8).put(STREAM).put(u).put((byte) 0).putLong(seq).array();
    }

    /** {@code P user 0 peer 0 seq}: one conversation's entries in seq order (pages). */
    static byte[] page(String user, String peer, long seq) {
        byte[] u = utf8(user);
        byte[] p = utf8(peer);
        return ByteBuffer.allocate(1 + u.length + 1 + p.length + 1 + 8).put(PAGE).put(u).put((byte) 0).put(p)
                .put((byte) 0).putLong(seq).array();
    }

    /** {@code I id 0 user}: a message's copies (edits, deletes, receipts). */
    static byte[] id(String id, String user) {
        byte[] i = utf8(id);
        byte[] u = utf8(user);
        return ByteBuffer.allocate(1 + i.length + 1 + u.length).put(ID).put(i).put((byte) 0).put(u).array();
    }

    /** {@code C user 0 peer}: the conversation's row (last seq, unread). */
    static byte[] conversation(String user, String peer) {
        byte[] u = utf8(user);
        byte[] p = utf8(peer);
        return ByteBuffer.allocate(1 + u.length + 1 + p.length).put(CONVERSATION).put(u).put((byte) 0).put(p).array();
    }

    /** {@code A user 0 lastSeq peer}: a user's conversations by activity (read backwards for the list). */
    static byte[] activity(String user, long lastSeq, String peer) {
        byte[] u = utf8(user);
        byte[] p = utf8(peer);
        return ByteBuffer.allocate(1 + u.length + 1 + 8 + p.length).put(ACTIVITY).put(u).put((byte) 0)
                .putLong(lastSeq).put(p).array();
    }

    static byte[] seq(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    /** A conversation row's value: last seq, unread count. */
    static byte[] conversationRow(long lastSeq, long unread) {
        return ByteBuffer.allocate(16).putLong(lastSeq).putLong(unread).array();
    }

    /** An entry's value: id, channel, sender, peer, kind, text, sent-at (strings length-prefixed UTF-8). */
    static byte[] value(Entry e) {
        byte[] id = utf8(e.id());
        byte[] channel = utf8("chat");
        byte[] sender = utf8(e.sender());
        byte[] peer = utf8(e.peer());
        byte[] text = utf8(e.text());
        ByteBuffer b = ByteBuffer.allocate(5 * 4 + id.length + channel.length + sender.length + peer.length
                                                   + text.length + 1 + 8);
        for (byte[] s : new byte[][] {id, channel, sender, peer}) {
            b.putInt(s.length).put(s);
        }
        b.put((byte) 0);
        b.putInt(text.length).put(text);
        b.putLong(e.sentAtNanos());
        return b.array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
