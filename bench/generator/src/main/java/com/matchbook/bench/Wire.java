package com.matchbook.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/**
 * The two wire dialects the generator speaks, written straight into buffers and read by scanning bytes: no JSON
 * library on the generator's hot path, so it costs less per message than the servers it measures.
 * <p>
 * Every message's text is exactly {@link #TEXT_BYTES} bytes: {@code @<id>@<sentNanos>@xxxx...}, so a recipient finds
 * the id and the send time by looking for the first {@code @}, which no other field of any server's frame contains.
 */
enum Wire {
    /** Matchbook's protocol, which the ws and Netty hubs speak too: JSON frames with a {@code type}. */
    CORE,
    /** Engine.IO v4 / Socket.IO v5 over WebSocket: {@code 0} open, {@code 40} connect, {@code 42} events, {@code 43} acks. */
    SOCKETIO;

    static final int TEXT_BYTES = 100;
    private static final int TYPE_AT = "{\"type\":\"".length();

    /** What a server frame was, as far as the generator cares. */
    enum Kind { WELCOME, MESSAGE, ACK, ERROR, OPEN, PING, OTHER }

    String path(String user, long since) {
        return switch (this) {
            case CORE -> "/ws?id=" + user + (since > 0 ? "&since=" + since : "");
            case SOCKETIO -> "/socket.io/?EIO=4&transport=websocket&id=" + user;
        };
    }

    void writeSend(ByteBuf b, long ref, int toUser, long id, long sentNanos) {
        switch (this) {
            case CORE -> {
                ascii(b, "{\"type\":\"send\",\"ref\":\"");
                digits(b, ref);
                ascii(b, "\",\"to\":\"u");
                digits(b, toUser);
                ascii(b, "\",\"text\":\"");
                text(b, id, sentNanos);
                ascii(b, "\"}");
            }
            case SOCKETIO -> {
                ascii(b, "42");
                digits(b, ref);
                ascii(b, "[\"send\",{\"to\":\"u");
                digits(b, toUser);
                ascii(b, "\",\"text\":\"");
                text(b, id, sentNanos);
                ascii(b, "\"}]");
            }
        }
    }

    /** The frame the ws and Netty hubs broadcast to everyone (Matchbook and Socket.IO are asked over HTTP). */
    void writeBroadcast(ByteBuf b, long id, long sentNanos) {
        ascii(b, "{\"type\":\"broadcast\",\"text\":\"");
        text(b, id, sentNanos);
        ascii(b, "\"}");
    }

    static String httpBody(String to, long id, long sentNanos) {
        StringBuilder s = new StringBuilder(160).append("{\"from\":\"poster\",");
        if (to != null) {
            s.append("\"to\":\"").append(to).append("\",");
        }
        s.append("\"text\":\"@").append(id).append('@').append(sentNanos).append('@');
        s.append("x".repeat(TEXT_BYTES - 3 - Long.toString(id).length() - Long.toString(sentNanos).length()));
        return s.append("\"}").toString();
    }

    Kind kind(ByteBuf f) {
        int at = f.readerIndex();
        if (f.readableBytes() < 1) {
            return Kind.OTHER;
        }
        if (this == CORE) {
            if (f.readableBytes() <= TYPE_AT) {
                return Kind.OTHER;
            }
            return switch (f.getByte(at + TYPE_AT)) {
                case 'w' -> Kind.WELCOME;
                case 'm' -> Kind.MESSAGE;
                case 'a' -> Kind.ACK;
                case 'e' -> Kind.ERROR;
                default -> Kind.OTHER;
            };
        }
        byte first = f.getByte(at);
        if (first == '0') {
            return Kind.OPEN;
        }
        if (first == '2') {
            return Kind.PING;
        }
        if (first != '4' || f.readableBytes() < 2) {
            return Kind.OTHER;
        }
        return switch (f.getByte(at + 1)) {
            case '0' -> Kind.WELCOME;
            case '2' -> Kind.MESSAGE;
            case '3' -> Kind.ACK;
            case '4' -> Kind.ERROR;
            default -> Kind.OTHER;
        };
    }

    /** @return the index of the first {@code @} of a message's text, or -1 */
    static int marker(ByteBuf f) {
        return f.indexOf(f.readerIndex(), f.writerIndex(), (byte) '@');
    }

    /** Reads the decimal number starting at {@code at}, stopping at the first non-digit. */
    static long number(ByteBuf f, int at) {
        long n = 0;
        for (int i = at; i < f.writerIndex(); i++) {
            byte c = f.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    static int skipNumber(ByteBuf f, int at) {
        int i = at;
        while (i < f.writerIndex() && f.getByte(i) >= '0' && f.getByte(i) <= '9') {
            i++;
        }
        return i;
    }

    private static final byte[] SEQ = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);

    /** Matchbook's {@code seq} of a message frame, or -1 (broadcasts have none). */
    static long seq(ByteBuf f) {
        int end = Math.min(f.writerIndex(), f.readerIndex() + 120) - SEQ.length;
        outer:
        for (int i = f.readerIndex(); i <= end; i++) {
            for (int j = 0; j < SEQ.length; j++) {
                if (f.getByte(i + j) != SEQ[j]) {
                    continue outer;
                }
            }
            return number(f, i + SEQ.length);
        }
        return -1;
    }

    private static void text(ByteBuf b, long id, long sentNanos) {
        int start = b.writerIndex();
        b.writeByte('@');
        digits(b, id);
        b.writeByte('@');
        digits(b, sentNanos);
        b.writeByte('@');
        int pad = TEXT_BYTES - (b.writerIndex() - start);
        for (int i = 0; i < pad; i++) {
            b.writeByte('x');
        }
    }

    static void ascii(ByteBuf b, String s) {
        b.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    static void digits(ByteBuf b, long n) {
        if (n < 10) {
            b.writeByte('0' + (int) n);
            return;
        }
        digits(b, n / 10);
        b.writeByte('0' + (int) (n % 10));
    }
}
