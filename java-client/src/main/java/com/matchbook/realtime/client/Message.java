package com.matchbook.realtime.client;

import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A message delivered to this user: once each, in {@code seq} order, whether it came live, in a replay or from a
 * resync over HTTP. Broadcasts have no {@code seq} and no {@code to}.
 */
public final class Message {
    private final String id;
    private final long seq;
    private final String channel;
    private final String from;
    private final String to;
    private final String text;
    private final JsonValue data;
    private final Instant sentAt;
    private final boolean broadcast;
    private final Attachment attachment;

    private Message(JsonObject o, Attachment attachment) {
        this.id = JsonFields.string(o, "id", "");
        this.seq = JsonFields.number(o, "seq").orElse(-1);
        this.channel = JsonFields.string(o, "channel", "chat");
        this.from = JsonFields.string(o, "from", "");
        this.to = JsonFields.string(o, "to").orElse(null);
        this.text = JsonFields.string(o, "text").orElse(null);
        JsonValue d = o.get("data");
        this.data = d == null || d.getValueType() == JsonValue.ValueType.NULL ? null : d;
        this.sentAt = JsonFields.instant(o, "sentAt").orElseGet(Instant::now);
        this.broadcast = JsonFields.bool(o, "broadcast", false);
        this.attachment = attachment;
    }

    /** A {@code message} frame, or an entry of the history endpoint (binary ones carry their payload in base64). */
    static Optional<Message> fromJson(JsonObject o) {
        if (JsonFields.string(o, "id").isEmpty()) {
            return Optional.empty();
        }
        Optional<String> payload = JsonFields.string(o, "payload");
        if (payload.isEmpty()) {
            return Optional.of(new Message(o, null));
        }
        try {
            return Optional.of(new Message(o, attachment(o, Base64.getDecoder().decode(payload.get()))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A binary frame: its JSON header is the message, the payload the file. */
    static Optional<Message> fromBinary(JsonObject header, byte[] payload) {
        if (JsonFields.string(header, "id").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Message(header, attachment(header, payload)));
    }

    private static Attachment attachment(JsonObject o, byte[] bytes) {
        return new Attachment(JsonFields.string(o, "name", "file"),
                              JsonFields.string(o, "contentType", "application/octet-stream"), bytes);
    }

    public String id() {
        return id;
    }

    /** The message's number in this user's history; empty for a broadcast. */
    public OptionalLong seq() {
        return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    public String channel() {
        return channel;
    }

    /** The sender ({@code system} for HTTP notifications that named none). */
    public String from() {
        return from;
    }

    /** The recipient; empty for a broadcast. */
    public Optional<String> to() {
        return Optional.ofNullable(to);
    }

    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public Optional<JsonValue> data() {
        return Optional.ofNullable(data);
    }

    /** When the server accepted it. */
    public Instant sentAt() {
        return sentAt;
    }

    /** A live-only message to everyone connected: never stored, never replayed. */
    public boolean broadcast() {
        return broadcast;
    }

    /** The file of a binary message. */
    public Optional<Attachment> attachment() {
        return Optional.ofNullable(attachment);
    }

    long rawSeq() {
        return seq;
    }

    @Override
    public String toString() {
        return "Message[" + id + " seq=" + (seq < 0 ? "-" : seq) + " " + from + "->" + (to == null ? "*" : to)
                + " channel=" + channel + (attachment == null ? "" : " " + attachment) + "]";
    }
}
