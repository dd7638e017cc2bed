package com.matchbook.realtime.message;

import java.time.Instant;
import java.util.Optional;

import com.matchbook.realtime.protocol.JsonText;
import com.matchbook.realtime.protocol.MessageJson;
import com.matchbook.realtime.protocol.WireMessage;

import jakarta.json.JsonValue;

/**
 * The server's frames, as the contract spells them, written with {@link JsonText#object}; a message's own JSON is the
 * protocol module's {@link MessageJson}, shared with the Java client.
 */
public final class Frames {
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

    /** {@code heartbeatTimeoutMs}: silence after a ping before the server closes, so clients need not assume it. */
    public static OutFrame welcome(String userId, String connectionId, long heartbeatMs, long heartbeatTimeoutMs,
                                   long lastSeq, Replay replay) {
        return OutFrame.text(JsonText.object(g -> g.write("type", "welcome")
                .write("id", userId)
                .write("connectionId", connectionId)
                .write("heartbeatMs", heartbeatMs)
                .write("heartbeatTimeoutMs", heartbeatTimeoutMs)
                .write("lastSeq", lastSeq)
                .writeStartObject("replay")
                .write("from", replay.from())
                .write("to", replay.to())
                .write("complete", replay.complete())
                .writeEnd()));
    }

    /** {@code {"type":"ack","ref":..,"id":..,"seq":..}}; written by {@link Utf8JsonWriter} (one per message sent). */
    public static OutFrame ack(Optional<JsonValue> ref, String id, long seq) {
        String refJson = ref.map(JsonValue::toString).orElse(null);
        Utf8JsonWriter estimated = ackFields(Utf8JsonWriter.estimating(), refJson, id, seq);
        estimated.finish();
        return new OutFrame(OutFrame.Kind.TEXT, ackFields(new Utf8JsonWriter(estimated.length()), refJson, id, seq)
                .finish(), null);
    }

    private static Utf8JsonWriter ackFields(Utf8JsonWriter w, String refJson, String id, long seq) {
        w.string("type", "ack");
        if (refJson != null) {
            w.raw("ref", refJson);
        }
        return w.string("id", id).number("seq", seq);
    }

    public static OutFrame error(String code, String message, Optional<JsonValue> ref) {
        return OutFrame.text(JsonText.object(g -> {
            g.write("type", "error").write("code", code).write("message", message);
            ref.ifPresent(r -> g.write("ref", r));
        }));
    }

    public static OutFrame receipt(String messageId, String status, String by, Instant at) {
        return OutFrame.text(JsonText.object(g -> g.write("type", "receipt")
                .write("id", messageId)
                .write("status", status)
                .write("by", by)
                .write("at", at.toString())));
    }

    public static OutFrame typing(String from, String to, String state) {
        return OutFrame.text(JsonText.object(g -> g.write("type", "typing")
                .write("from", from)
                .write("to", to)
                .write("state", state)));
    }

    /** A live-only broadcast: no seq, never stored. */
    public static OutFrame broadcast(String id, String from, String channel, Optional<String> text,
                                     Optional<JsonValue> data, Instant sentAt) {
        return OutFrame.text(MessageJson.frameJson(new WireMessage(id, WireMessage.NO_SEQ, channel, from, null,
                                                                   text.orElse(null), data.orElse(null), null, sentAt,
                                                                   true)));
    }

    /**
     * A stream entry as the history endpoint and the SSE stream give it: a message as {@link MessageJson#historyJson},
     * an update entry as its {@code update} frame's JSON.
     */
    public static String historyJson(Message m) {
        return m.update().isPresent() ? updateJson(m) : MessageJson.historyJson(m);
    }

    /**
     * The {@code update} frame's JSON of an update entry (docs/protocol.md {@code update}, "Edit and delete (1.1)"):
     * {@code type, seq, id, action, from, to, channel, text?/data? (edit), at}.
     */
    public static String updateJson(Message entry) {
        Update u = entry.update().orElseThrow(() -> new IllegalArgumentException(entry + " is not an update entry"));
        return JsonText.object(g -> {
            g.write("type", "update").write("seq", entry.seq()).write("id", entry.id())
                    .write("action", u.action().wire())
                    .write("from", entry.from()).write("to", entry.to()).write("channel", entry.channel());
            if (u.action() == Update.Action.EDIT) {
                entry.text().ifPresent(t -> g.write("text", t));
                entry.data().ifPresent(d -> g.write("data", d));
            }
            g.write("at", u.at().toString());
        });
    }

    static OutFrame update(Message entry) {
        return OutFrame.text(updateJson(entry), entry);
    }

    static OutFrame message(Message m) {
        if (m.attachment().isEmpty()) {
            return new OutFrame(OutFrame.Kind.TEXT, messageJson(m), m);
        }
        return OutFrame.binary(MessageJson.binaryFrame(m), m);
    }

    /**
     * A text message's frame, byte for byte {@link MessageJson#frameJson} in UTF-8 (the fields of docs/protocol.md
     * {@code message}), written by {@link Utf8JsonWriter} because every message is encoded twice (once per stream).
     */
    static byte[] messageJson(WireMessage m) {
        String sentAt = m.sentAt().toString();
        String editedAt = m.editedAt().map(Instant::toString).orElse(null);
        String data = m.data().map(JsonValue::toString).orElse(null);
        Utf8JsonWriter estimated = messageFields(Utf8JsonWriter.estimating(), m, sentAt, editedAt, data);
        estimated.finish();
        return messageFields(new Utf8JsonWriter(estimated.length()), m, sentAt, editedAt, data).finish();
    }

    private static Utf8JsonWriter messageFields(Utf8JsonWriter w, WireMessage m, String sentAt, String editedAt,
                                                String data) {
        w.string("type", "message").string("id", m.id());
        if (!m.broadcast()) {
            w.number("seq", m.seq());
        }
        w.string("channel", m.channel()).string("from", m.from());
        if (!m.broadcast()) {
            w.string("to", m.to());
        }
        m.text().ifPresent(t -> w.string("text", t));
        if (data != null) {
            w.raw("data", data);
        }
        w.string("sentAt", sentAt);
        if (editedAt != null) {
            w.bool("edited", true).string("editedAt", editedAt);
        }
        if (m.deleted()) {
            w.bool("deleted", true);
        }
        if (m.broadcast()) {
            w.bool("broadcast", true);
        }
        return w;
    }
}
