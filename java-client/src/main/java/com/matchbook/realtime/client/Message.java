package com.matchbook.realtime.client;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import com.matchbook.realtime.protocol.MessageJson;
import com.matchbook.realtime.protocol.WireMessage;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A message delivered to this user: once each, in {@code seq} order, whether it came live, in a replay or from a
 * resync over HTTP. Broadcasts have no {@code seq} and no {@code to}. Read by the protocol module's
 * {@link MessageJson}, the same reading the server's JSON is written with; this class only gives it the client's API.
 */
public final class Message {
    private final WireMessage wire;
    private final Attachment attachment;

    private Message(WireMessage wire) {
        this.wire = wire;
        this.attachment = wire.attachment().map(Attachment::new).orElse(null);
    }

    /** A {@code message} frame, or an entry of the history endpoint (binary ones carry their payload in base64). */
    static Optional<Message> fromJson(JsonObject o) {
        return MessageJson.read(o).map(Message::new);
    }

    /** A binary frame: its JSON header is the message, the payload the file. */
    static Optional<Message> fromBinary(JsonObject header, byte[] payload) {
        return MessageJson.readBinary(header, payload).map(Message::new);
    }

    public String id() {
        return wire.id();
    }

    /** The message's number in this user's history; empty for a broadcast. */
    public OptionalLong seq() {
        return wire.seq() < 0 ? OptionalLong.empty() : OptionalLong.of(wire.seq());
    }

    public String channel() {
        return wire.channel();
    }

    /** The sender ({@code system} for HTTP notifications that named none). */
    public String from() {
        return wire.from();
    }

    /** The recipient; empty for a broadcast. */
    public Optional<String> to() {
        return wire.to().isEmpty() ? Optional.empty() : Optional.of(wire.to());
    }

    public Optional<String> text() {
        return wire.text();
    }

    public Optional<JsonValue> data() {
        return wire.data();
    }

    /** When the server accepted it. */
    public Instant sentAt() {
        return wire.sentAt();
    }

    /** A live-only message to everyone connected: never stored, never replayed. */
    public boolean broadcast() {
        return wire.broadcast();
    }

    /** The file of a binary message. */
    public Optional<Attachment> attachment() {
        return Optional.ofNullable(attachment);
    }

    /** The seq, or {@link WireMessage#NO_SEQ} (negative) for a broadcast. */
    long rawSeq() {
        return wire.seq();
    }

    @Override
    public String toString() {
        return "Message[" + id() + " seq=" + (rawSeq() < 0 ? "-" : rawSeq()) + " " + from() + "->"
                + to().orElse("*") + " channel=" + channel() + (attachment == null ? "" : " " + attachment) + "]";
    }
}
