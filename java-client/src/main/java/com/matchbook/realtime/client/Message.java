package com.matchbook.realtime.client;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import com.matchbook.realtime.protocol.JsonFields;
import com.matchbook.realtime.protocol.MessageJson;
import com.matchbook.realtime.protocol.WireMessage;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A message delivered to this user: once each, in {@code seq} order, whether it came live, in a replay or from a
 * resync over HTTP. Broadcasts have no {@code seq} and no {@code to}. Read by the protocol module's
 * {@link MessageJson}, the same reading the server's JSON is written with; this class only gives it the client's API.
 *
 * <p>Since docs/protocol.md 1.1 a message can change after it was sent ("Edit and delete"): the server sends an
 * {@link Update}, and {@link #apply(Update)} gives the message's next version ({@link #edited()}, {@link #deleted()}).
 * A message of this user's own (a sender copy, {@link #from()} = the user) arrives like any other.
 */
public final class Message implements StreamEntry {
    private final WireMessage wire;
    /** Nullable, like the wire's fields: absent, or removed by a delete. */
    private final String text;
    private final JsonValue data;
    private final Attachment attachment;
    private final Instant editedAt;
    private final boolean deleted;

    private Message(WireMessage wire, String text, JsonValue data, Attachment attachment, Instant editedAt,
                    boolean deleted) {
        this.wire = wire;
        this.text = text;
        this.data = data;
        this.attachment = attachment;
        this.editedAt = editedAt;
        this.deleted = deleted;
    }

    /**
     * The edit fields ({@code edited}, {@code editedAt}, {@code deleted}) are read here from the JSON itself, so the
     * client does not depend on the protocol module's version for them.
     */
    private static Message of(WireMessage wire, JsonObject o) {
        boolean deleted = JsonFields.bool(o, "deleted", false);
        Instant editedAt = JsonFields.instant(o, "editedAt")
                .orElse(JsonFields.bool(o, "edited", false) ? wire.sentAt() : null);
        if (deleted) {
            return new Message(wire, null, null, null, editedAt, true);
        }
        return new Message(wire, wire.text().orElse(null), wire.data().orElse(null),
                           wire.attachment().map(Attachment::new).orElse(null), editedAt, false);
    }

    /** A {@code message} frame, or an entry of the history endpoint (binary ones carry their payload in base64). */
    static Optional<Message> fromJson(JsonObject o) {
        return MessageJson.read(o).map(w -> of(w, o));
    }

    /** A binary frame: its JSON header is the message, the payload the file. */
    static Optional<Message> fromBinary(JsonObject header, byte[] payload) {
        return MessageJson.readBinary(header, payload).map(w -> of(w, header));
    }

    /**
     * This message as the update leaves it (docs/protocol.md "Edit and delete"): an edit replaces the text and/or data
     * it carries and marks it edited; a delete removes text, data and attachment and marks it deleted. An update of
     * another message, an edit of a deleted message, or an edit older than this version gives this message back.
     */
    public Message apply(Update u) {
        if (!u.messageId().equals(id()) || deleted) {
            return this;
        }
        if (u.action() == Update.Action.DELETE) {
            return new Message(wire, null, null, null, editedAt, true);
        }
        if (editedAt != null && u.at().isBefore(editedAt)) {
            return this;
        }
        return new Message(wire, u.text().orElse(text), u.data().orElse(data), attachment, u.at(), false);
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

    /** The text in its latest version; empty when it has none or was deleted. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    /** The data in its latest version; empty when it has none or was deleted. */
    public Optional<JsonValue> data() {
        return Optional.ofNullable(data);
    }

    /** True once its author edited it (docs/protocol.md "Edit and delete": {@code "edited": true}). */
    public boolean edited() {
        return editedAt != null;
    }

    /** When it was last edited. */
    public Optional<Instant> editedAt() {
        return Optional.ofNullable(editedAt);
    }

    /** True once its author deleted it: text, data and attachment are gone (on the server too). */
    public boolean deleted() {
        return deleted;
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
                + to().orElse("*") + " channel=" + channel() + (attachment == null ? "" : " " + attachment)
                + (deleted ? " deleted" : edited() ? " edited" : "") + "]";
    }
}
