package com.matchbook.realtime.message;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * The server's frames, as the contract spells them. Written with JSON-P's streaming generator straight into a string:
 * no object tree per frame, and escaping stays the library's job.
 */
public final class Frames {
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    private static final OutFrame PING = OutFrame.text("{\"type\":\"ping\"}");
    private static final OutFrame PONG = OutFrame.text("{\"type\":\"pong\"}");

    private Frames() {
    }

    /** Replay range announced in {@code welcome}: {@code from..to} inclusive; empty when {@code from > to}. */
    public record Replay(long from, long to, boolean complete) {
    }

    public static OutFrame ping() {
        return PING;
    }

    /** Answer to a client's {@code {"type":"ping"}} (browsers cannot send control pings). */
    public static OutFrame pong() {
        return PONG;
    }

    public static OutFrame welcome(String userId, String connectionId, long heartbeatMs, long lastSeq, Replay replay) {
        return OutFrame.text(object(g -> g.write("type", "welcome")
                .write("id", userId)
                .write("connectionId", connectionId)
                .write("heartbeatMs", heartbeatMs)
                .write("lastSeq", lastSeq)
                .writeStartObject("replay")
                .write("from", replay.from())
                .write("to", replay.to())
                .write("complete", replay.complete())
                .writeEnd()));
    }

    public static OutFrame ack(Optional<JsonValue> ref, String id, long seq) {
        return OutFrame.text(object(g -> {
            g.write("type", "ack");
            ref.ifPresent(r -> g.write("ref", r));
            g.write("id", id).write("seq", seq);
        }));
    }

    public static OutFrame error(String code, String message, Optional<JsonValue> ref) {
        return OutFrame.text(object(g -> {
            g.write("type", "error").write("code", code).write("message", message);
            ref.ifPresent(r -> g.write("ref", r));
        }));
    }

    public static OutFrame receipt(String messageId, String status, String by, Instant at) {
        return OutFrame.text(object(g -> g.write("type", "receipt")
                .write("id", messageId)
                .write("status", status)
                .write("by", by)
                .write("at", at.toString())));
    }

    public static OutFrame typing(String from, String to, String state) {
        return OutFrame.text(object(g -> g.write("type", "typing")
                .write("from", from)
                .write("to", to)
                .write("state", state)));
    }

    /** A live-only broadcast: no seq, never stored. */
    public static OutFrame broadcast(String id, String from, String channel, Optional<String> text,
                                     Optional<JsonValue> data, Instant sentAt) {
        return OutFrame.text(object(g -> {
            g.write("type", "message").write("id", id).write("channel", channel).write("from", from);
            text.ifPresent(t -> g.write("text", t));
            data.ifPresent(d -> g.write("data", d));
            g.write("sentAt", sentAt.toString()).write("broadcast", true);
        }));
    }

    /** JSON object of a message as it appears in frames, the history endpoint and the SSE stream. */
    public static String messageJson(Message m) {
        return object(g -> writeMessageFields(g, m));
    }

    /**
     * A message as the history endpoint and the SSE stream give it: the frame's fields, and for a binary message its
     * {@code name}, {@code contentType}, {@code size} and the payload in base64 as {@code payload}.
     */
    public static String historyJson(Message m) {
        Optional<Attachment> attachment = m.attachment();
        if (attachment.isEmpty()) {
            return messageJson(m);
        }
        Attachment a = attachment.get();
        return object(g -> {
            writeMessageFields(g, m);
            g.write("name", a.name()).write("contentType", a.contentType()).write("size", a.size())
                    .write("payload", java.util.Base64.getEncoder().encodeToString(a.bytes()));
        });
    }

    static OutFrame message(Message m) {
        Optional<Attachment> attachment = m.attachment();
        if (attachment.isEmpty()) {
            return OutFrame.text(messageJson(m), m);
        }
        Attachment a = attachment.get();
        byte[] header = object(g -> {
            writeMessageFields(g, m);
            g.write("name", a.name()).write("contentType", a.contentType()).write("size", a.size());
        }).getBytes(StandardCharsets.UTF_8);
        return OutFrame.binary(BinaryFrames.encode(header, a.bytes()), m);
    }

    private static void writeMessageFields(JsonGenerator g, Message m) {
        g.write("type", "message")
                .write("id", m.id())
                .write("seq", m.seq())
                .write("channel", m.channel())
                .write("from", m.from())
                .write("to", m.to());
        m.text().ifPresent(t -> g.write("text", t));
        m.data().ifPresent(d -> g.write("data", d));
        g.write("sentAt", m.sentAt().toString());
    }

    private static String object(Consumer<JsonGenerator> body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject();
            body.accept(g);
            g.writeEnd();
        }
        return out.toString();
    }

}
