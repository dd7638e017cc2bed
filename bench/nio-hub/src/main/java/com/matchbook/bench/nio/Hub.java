package com.matchbook.bench.nio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Users, their sockets and their seqs. Only the selector thread touches them, so plain maps suffice (as in the Netty
 * hub). A message is encoded once, frame header included, and the same bytes go to every recipient socket.
 */
final class Hub {
    static final JsonFactory JSON = new JsonFactory();

    private final Map<String, List<Connection>> users = new HashMap<>();
    private final Map<String, long[]> seqs = new HashMap<>();
    private final Set<Connection> everyone = new LinkedHashSet<>();
    private long messageCount;
    private long connectionCount;

    /** @return the welcome frame for this new socket */
    byte[] join(String user, Connection c) {
        users.computeIfAbsent(user, u -> new ArrayList<>(1)).add(c);
        everyone.add(c);
        long[] seq = seqs.get(user);
        long lastSeq = seq == null ? 0 : seq[0];
        String connectionId = "c" + ++connectionCount;
        return encode(g -> {
            g.writeStringField("type", "welcome");
            g.writeStringField("id", user);
            g.writeStringField("connectionId", connectionId);
            g.writeNumberField("heartbeatMs", 25000);
            g.writeNumberField("lastSeq", lastSeq);
        });
    }

    void leave(String user, Connection c) {
        everyone.remove(c);
        List<Connection> sockets = users.get(user);
        if (sockets != null && sockets.remove(c) && sockets.isEmpty()) {
            users.remove(user);
        }
    }

    /** Numbers the message for its recipient and writes it to each of the recipient's sockets. */
    Delivered deliver(String from, String to, String text) {
        long seq = ++seqs.computeIfAbsent(to, u -> new long[1])[0];
        String id = "m" + ++messageCount;
        byte[] frame = encode(g -> {
            g.writeStringField("type", "message");
            g.writeStringField("id", id);
            g.writeNumberField("seq", seq);
            g.writeStringField("channel", "chat");
            g.writeStringField("from", from);
            g.writeStringField("to", to);
            g.writeStringField("text", text);
            g.writeStringField("sentAt", Instant.now().toString());
        });
        List<Connection> sockets = users.get(to);
        if (sockets != null) {
            // a copy: a failed write removes its socket from this list
            for (Connection c : sockets.toArray(Connection[]::new)) {
                c.send(frame);
            }
        }
        return new Delivered(id, seq);
    }

    void broadcast(String from, String text) {
        String id = "b" + ++messageCount;
        byte[] frame = encode(g -> {
            g.writeStringField("type", "message");
            g.writeStringField("id", id);
            g.writeStringField("channel", "chat");
            g.writeStringField("from", from);
            g.writeStringField("text", text);
            g.writeStringField("sentAt", Instant.now().toString());
            g.writeBooleanField("broadcast", true);
        });
        for (Connection c : everyone.toArray(Connection[]::new)) {
            c.send(frame);
        }
    }

    record Delivered(String id, long seq) {
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON object as a whole unmasked text frame (RFC 6455 section 5.2), header and payload in one array. */
    static byte[] encode(Fields fields) {
        Payload out = new Payload();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.frame();
    }

    /** The generator's bytes, framed with one copy (no {@code toByteArray} first). */
    private static final class Payload extends ByteArrayOutputStream {
        Payload() {
            super(256);
        }

        byte[] frame() {
            return Frames.text(buf, count);
        }
    }
}
