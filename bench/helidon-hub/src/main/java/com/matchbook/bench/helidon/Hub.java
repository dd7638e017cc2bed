package com.matchbook.bench.helidon;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Users, their sockets and their seqs, shared by every connection's thread (so concurrent maps, where the Netty
 * hub's single event loop needs none). A message is encoded once and written to each recipient socket by the
 * sender's thread, as a thread-per-connection server without queues does.
 */
final class Hub {
    static final JsonFactory JSON = new JsonFactory();

    private final Map<String, List<Peer>> users = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
    private final List<Peer> everyone = new CopyOnWriteArrayList<>();
    private final AtomicLong messageCount = new AtomicLong();
    private final AtomicLong connectionCount = new AtomicLong();

    /** @return the welcome frame for this new socket */
    String join(String user, Peer peer) {
        users.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(peer);
        everyone.add(peer);
        AtomicLong seq = seqs.get(user);
        long lastSeq = seq == null ? 0 : seq.get();
        return encode(g -> {
            g.writeStringField("type", "welcome");
            g.writeStringField("id", user);
            g.writeStringField("connectionId", "c" + connectionCount.incrementAndGet());
            g.writeNumberField("heartbeatMs", 25000);
            g.writeNumberField("lastSeq", lastSeq);
        });
    }

    void leave(String user, Peer peer) {
        everyone.remove(peer);
        users.computeIfPresent(user, (u, sockets) -> {
            sockets.remove(peer);
            return sockets.isEmpty() ? null : sockets;
        });
    }

    /** Numbers the message for its recipient and writes it to each of the recipient's sockets. */
    Delivered deliver(String from, String to, String text) {
        long seq = seqs.computeIfAbsent(to, u -> new AtomicLong()).incrementAndGet();
        String id = "m" + messageCount.incrementAndGet();
        String frame = encode(g -> {
            g.writeStringField("type", "message");
            g.writeStringField("id", id);
            g.writeNumberField("seq", seq);
            g.writeStringField("channel", "chat");
            g.writeStringField("from", from);
            g.writeStringField("to", to);
            g.writeStringField("text", text);
            g.writeStringField("sentAt", Instant.now().toString());
        });
        for (Peer p : users.getOrDefault(to, List.of())) {
            p.send(frame);
        }
        return new Delivered(id, seq);
    }

    void broadcast(String from, String text) {
        String id = "b" + messageCount.incrementAndGet();
        String frame = encode(g -> {
            g.writeStringField("type", "message");
            g.writeStringField("id", id);
            g.writeStringField("channel", "chat");
            g.writeStringField("from", from);
            g.writeStringField("text", text);
            g.writeStringField("sentAt", Instant.now().toString());
            g.writeBooleanField("broadcast", true);
        });
        for (Peer p : everyone) {
            p.send(frame);
        }
    }

    record Delivered(String id, long seq) {
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static String encode(Fields fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
