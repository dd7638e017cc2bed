package com.matchbook.bench.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * One socket, from its HTTP request to its close, driven by the selector thread alone: each readable event is one
 * {@code read} into the shared buffer, then every whole request or frame in it is handled at once, and what is left
 * of a partial one waits in {@link #pending} for the next read. Writes go straight to the socket; only the bytes it
 * does not take wait in {@link #unwritten}, with the key asking for writability until they are gone.
 */
final class Connection {
    /** The largest frame payload taken, as the Netty hub's {@code maxFramePayloadLength}; longer ones end the socket. */
    static final int MAX_PAYLOAD = 65536;
    /** The longest HTTP request head taken. */
    private static final int MAX_REQUEST = 8192;
    private static final byte[] PONG = Frames.text("{\"type\":\"pong\"}".getBytes(), 15);
    /**
     * Text frames must be UTF-8 (RFC 6455 section 8.1), and Netty's codec checks it by default: so does this gauge,
     * with one strict decoder and one scratch buffer, which only the selector thread uses.
     */
    private static final CharsetDecoder UTF8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private static final CharBuffer DECODED = CharBuffer.allocate(MAX_PAYLOAD);

    private final SocketChannel channel;
    private final Hub hub;
    private SelectionKey key;
    /** Null until the upgrade; then the user the socket joined as. */
    private String user;
    /** Bytes of a request or frame not yet whole; null between whole ones (the usual case after a read). */
    private ByteBuffer pending;
    private final ArrayDeque<ByteBuffer> unwritten = new ArrayDeque<>();
    private boolean closeWhenWritten;
    private boolean closed;
    /** In the hub's maps: from the welcome until the socket closes or starts its close. */
    private boolean joined;

    Connection(SocketChannel channel, Hub hub) {
        this.channel = channel;
        this.hub = hub;
    }

    void attach(SelectionKey key) {
        this.key = key;
    }

    /** One read into {@code buffer} (the selector thread's), then everything whole in it and before it is handled. */
    void read(ByteBuffer buffer) {
        buffer.clear();
        int n;
        try {
            n = channel.read(buffer);
        } catch (IOException e) {
            close();
            return;
        }
        if (n < 0) {
            close();
            return;
        }
        if (closeWhenWritten) {
            return;   // answered for the last time: what follows is not read
        }
        buffer.flip();
        ByteBuffer in = buffer;
        if (pending != null) {
            if (pending.remaining() < buffer.remaining()) {
                ByteBuffer larger = ByteBuffer.allocate(pending.capacity() + Math.max(buffer.remaining(), 4096));
                pending = larger.put(pending.flip());
            }
            in = pending.put(buffer).flip();
        }
        if (user == null) {
            Handshake.Answer answer = Handshake.read(in, MAX_REQUEST);
            if (answer == Handshake.INCOMPLETE) {
                keep(in);
                return;
            }
            answer(answer);
            if (user == null) {
                return;
            }
        }
        frames(in);
        if (!closed) {
            keep(in);
        }
    }

    private void answer(Handshake.Answer answer) {
        send(answer.response());
        if (closed) {
            return;   // the peer went away before the answer
        }
        if (answer.user() == null) {
            endWhenWritten();
        } else if (answer.user().isEmpty()) {
            user = "";
            send(Frames.close(4000, "missing id"));
            endWhenWritten();
        } else {
            user = answer.user();
            joined = true;
            send(hub.join(user, this));
        }
    }

    /** Handles every whole frame in {@code in}, leaving it at the first incomplete one. */
    private void frames(ByteBuffer in) {
        while (!closed && !closeWhenWritten && in.remaining() >= 2) {
            int at = in.position();
            int b0 = in.get(at) & 0xFF;
            int b1 = in.get(at + 1) & 0xFF;
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (in.remaining() < 4) {
                    return;
                }
                length = in.getShort(at + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) {
                    return;
                }
                length = in.getLong(at + 2);
                header = 10;
            }
            if ((b1 & 0x80) == 0 || (b0 & 0x70) != 0 || (b0 & 0x80) == 0) {
                fail(1002, "unmasked, extended or fragmented frame");
                return;
            }
            int opcode = b0 & 0x0F;
            if (length < 0 || (opcode >= Frames.CLOSE && length > 125)) {
                fail(1002, "bad length");   // section 5.2: the top bit is 0; section 5.5: control payloads fit 125
                return;
            }
            if (length > MAX_PAYLOAD) {
                fail(1009, "frame too big");
                return;
            }
            int n = (int) length;
            if (in.remaining() < header + 4 + n) {
                return;
            }
            int mask = at + header;
            byte[] key = {in.get(mask), in.get(mask + 1), in.get(mask + 2), in.get(mask + 3)};
            byte[] payload = new byte[n];
            in.get(mask + 4, payload);
            for (int i = 0; i < n; i++) {
                payload[i] ^= key[i & 3];
            }
            in.position(mask + 4 + n);
            switch (opcode) {
                case Frames.TEXT -> {
                    if (utf8(payload)) {
                        text(payload);
                    } else {
                        fail(1007, "not UTF-8");
                    }
                }
                case Frames.PING -> send(Frames.frame(Frames.PONG, payload, n));
                case Frames.PONG -> {
                }
                case Frames.CLOSE -> {
                    int code = n >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1000;
                    // section 7.4.1: 1005, 1006 and 1015 are never sent, nor codes under 1000; one byte is no code
                    boolean valid = n != 1 && code >= 1000 && code < 5000 && code != 1004 && code != 1005
                            && code != 1006 && code != 1015 && !(code >= 1016 && code < 3000);
                    send(Frames.close(valid ? code : 1002, ""));
                    endWhenWritten();
                }
                default -> fail(1002, "unknown opcode");
            }
        }
    }

    private static boolean utf8(byte[] payload) {
        UTF8.reset();
        DECODED.clear();
        return !UTF8.decode(ByteBuffer.wrap(payload), DECODED, true).isError() && !UTF8.flush(DECODED).isError();
    }

    /** The hub's JSON frames, read as the Netty hub reads them; anything that is not JSON is ignored. */
    private void text(byte[] payload) {
        String type = null;
        String ref = null;
        String to = null;
        String text = null;
        try (JsonParser p = Hub.JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "type" -> type = p.getText();
                    case "ref" -> ref = p.getText();
                    case "to" -> to = p.getText();
                    case "text" -> text = p.getText();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            return;
        }
        if ("send".equals(type) && to != null && text != null) {
            Hub.Delivered d = hub.deliver(user, to, text);
            String refField = ref == null ? "" : ref;
            send(Hub.encode(g -> {
                g.writeStringField("type", "ack");
                g.writeStringField("ref", refField);
                g.writeStringField("id", d.id());
                g.writeNumberField("seq", d.seq());
            }));
        } else if ("broadcast".equals(type) && text != null) {
            hub.broadcast(user, text);
        } else if ("ping".equals(type)) {
            send(PONG);
        }
    }

    /** Writes {@code frame} now if nothing waits before it; what the socket does not take waits for writability. */
    void send(byte[] frame) {
        if (closed || closeWhenWritten) {
            return;   // section 5.5.1: nothing follows a close frame
        }
        ByteBuffer bytes = ByteBuffer.wrap(frame);
        if (!unwritten.isEmpty()) {
            unwritten.add(bytes);
            return;
        }
        try {
            channel.write(bytes);
        } catch (IOException e) {
            close();
            return;
        }
        if (bytes.hasRemaining()) {
            unwritten.add(bytes);
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /** The socket is writable again: writes what waits, and stops asking once all of it is gone. */
    void flush() {
        try {
            while (!unwritten.isEmpty()) {
                ByteBuffer next = unwritten.peek();
                channel.write(next);
                if (next.hasRemaining()) {
                    return;
                }
                unwritten.poll();
            }
        } catch (IOException e) {
            close();
            return;
        }
        if (closeWhenWritten) {
            close();
        } else {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void fail(int code, String reason) {
        send(Frames.close(code, reason));
        endWhenWritten();
    }

    /** Writes nothing more and leaves the hub now; the socket closes once its queued bytes (the close frame) are out. */
    private void endWhenWritten() {
        closeWhenWritten = true;
        leave();
        if (unwritten.isEmpty()) {
            close();
        }
    }

    private void leave() {
        if (joined) {
            joined = false;
            hub.leave(user, this);
        }
    }


    /** Keeps what is left of {@code in} for the next read, in a buffer of this connection's own. */
    private void keep(ByteBuffer in) {
        if (!in.hasRemaining()) {
            pending = null;
        } else if (in == pending) {
            pending.compact();
        } else {
            pending = ByteBuffer.allocate(Math.max(in.remaining() * 2, 1024)).put(in);
        }
    }

    /** Ends the socket at once (also the loop's answer to a failure while handling it). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        unwritten.clear();
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // already gone
        }
        leave();
    }
}
