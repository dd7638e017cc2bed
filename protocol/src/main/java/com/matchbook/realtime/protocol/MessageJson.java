package com.matchbook.realtime.protocol;

import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;

/**
 * A message's JSON, both ways (PROTOCOL.md "Messages", "Binary frames", "History"). Written with
 * {@link JsonText#object}, read leniently with {@link JsonFields}: the contract lets the server add fields.
 */
public final class MessageJson {
    /** The channel of a message that names none. */
    public static final String DEFAULT_CHANNEL = "chat";

    private MessageJson() {
    }

    /**
     * The {@code message} frame of {@code m} as JSON text: {@code type, id, seq, channel, from, to, text?, data?,
     * sentAt}; a broadcast has no {@code seq} and no {@code to}, and ends with {@code "broadcast":true}.
     */
    public static String frameJson(WireMessage m) {
        return JsonText.object(g -> writeFields(g, m));
    }

    /**
     * A message as the history endpoint and the SSE stream give it: the frame's fields, and for a binary message its
     * {@code name}, {@code contentType}, {@code size} and the payload in base64 as {@code payload}.
     */
    public static String historyJson(WireMessage m) {
        Optional<Attachment> attachment = m.attachment();
        if (attachment.isEmpty()) {
            return frameJson(m);
        }
        Attachment a = attachment.get();
        return JsonText.object(g -> {
            writeFields(g, m);
            writeFileFields(g, a);
            g.write("payload", Base64.getEncoder().encodeToString(a.bytes()));
        });
    }

    /**
     * The binary frame of a message with an attachment ({@link BinaryFrames} layout): the header holds the frame's
     * fields and {@code name}, {@code contentType}, {@code size}; the payload is the file.
     *
     * @throws IllegalArgumentException when {@code m} has no attachment
     */
    public static byte[] binaryFrame(WireMessage m) {
        Attachment a = m.attachment().orElseThrow(() -> new IllegalArgumentException(m + " has no attachment"));
        String header = JsonText.object(g -> {
            writeFields(g, m);
            writeFileFields(g, a);
        });
        return BinaryFrames.encode(header, a.bytes());
    }

    /**
     * A {@code message} frame, or an entry of the history endpoint (a binary one carries its payload in base64 as
     * {@code payload}). Empty when there is no string {@code id} or the payload is not base64. Absent fields read as:
     * no seq, channel {@value #DEFAULT_CHANNEL}, from and to empty, {@code sentAt} now.
     */
    public static Optional<WireMessage> read(JsonObject o) {
        if (JsonFields.string(o, "id").isEmpty()) {
            return Optional.empty();
        }
        Optional<String> payload = JsonFields.string(o, "payload");
        if (payload.isEmpty()) {
            return Optional.of(message(o, null));
        }
        try {
            return Optional.of(message(o, attachment(o, Base64.getDecoder().decode(payload.get()))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A binary frame's message: its JSON header and the payload as the file. Empty when the header has no id. */
    public static Optional<WireMessage> readBinary(JsonObject header, byte[] payload) {
        if (JsonFields.string(header, "id").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(message(header, attachment(header, payload)));
    }

    private static WireMessage message(JsonObject o, Attachment attachment) {
        JsonValue data = o.get("data");
        Instant sentAt = JsonFields.instant(o, "sentAt").orElseGet(Instant::now);
        // PROTOCOL.md "Edit and delete (1.1)": "edited": true comes with editedAt. Without it, sentAt is the one time
        // known not to be later than the edit (an edit is allowed only after sending), so edits ordered against it
        // still apply, and no made-up date reaches the user.
        return new WireMessage(JsonFields.string(o, "id", ""),
                               JsonFields.number(o, "seq").orElse(WireMessage.NO_SEQ),
                               JsonFields.string(o, "channel", DEFAULT_CHANNEL),
                               JsonFields.string(o, "from", ""),
                               JsonFields.string(o, "to").orElse(null),
                               JsonFields.string(o, "text").orElse(null),
                               data == null || data.getValueType() == JsonValue.ValueType.NULL ? null : data,
                               attachment,
                               sentAt,
                               JsonFields.bool(o, "broadcast", false),
                               JsonFields.bool(o, "edited", false)
                                       ? JsonFields.instant(o, "editedAt").orElse(sentAt) : null,
                               JsonFields.bool(o, "deleted", false));
    }

    private static Attachment attachment(JsonObject o, byte[] bytes) {
        return new Attachment(JsonFields.string(o, "name", "file"),
                              JsonFields.string(o, "contentType", "application/octet-stream"), bytes);
    }

    private static void writeFields(JsonGenerator g, WireMessage m) {
        g.write("type", "message").write("id", m.id());
        if (!m.broadcast()) {
            g.write("seq", m.seq());
        }
        g.write("channel", m.channel()).write("from", m.from());
        if (!m.broadcast()) {
            g.write("to", m.to());
        }
        m.text().ifPresent(t -> g.write("text", t));
        m.data().ifPresent(d -> g.write("data", d));
        g.write("sentAt", m.sentAt().toString());
        m.editedAt().ifPresent(t -> g.write("edited", true).write("editedAt", t.toString()));
        if (m.deleted()) {
            g.write("deleted", true);
        }
        if (m.broadcast()) {
            g.write("broadcast", true);
        }
    }

    private static void writeFileFields(JsonGenerator g, Attachment a) {
        g.write("name", a.name()).write("contentType", a.contentType()).write("size", a.size());
    }
}
