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
 *
 * <p>Since docs/protocol.md 1.1 a message can change after it was sent ("Edit and delete"): the server sends an
 * {@link Update}, and {@link #apply(Update)} gives the message's next version ({@link #edited()}, {@link #deleted()}).
 * A message of this user's own (a sender copy, {@link #from()} = the user) arrives like any other.
 */
public final class Message implements StreamEntry {
    /** This version of the message; edits and deletes applied here give a new one ({@link #apply(Update)}). */
    private final WireMessage wire;

    private Message(WireMessage wire) {
        this.wire = wire;
    }

    /** The edit fields come from {@link MessageJson} like the rest; a deleted message keeps no content. */
    private static Message of(WireMessage wire) {
        return wire.deleted() ? new Message(deletedVersion(wire)) : new Message(wire);
    }

    /** {@code m} deleted (docs/protocol.md "Edit and delete"): text, data and attachment gone, when it was edited kept. */
    private static WireMessage deletedVersion(WireMessage m) {
        return new WireMessage(m.id(), m.seq(), m.channel(), m.from(), m.to(), null, null, null, m.sentAt(),
                               m.broadcast(), m.editedAt().orElse(null), true);
    }

    /** A {@code message} frame, or an entry of the history endpoint (binary ones carry their payload in base64). */
    static Optional<Message> fromJson(JsonObject o) {
        return MessageJson.read(o).map(Message::of);
    }

    /** A binary frame: its JSON header is the message, the payload the file. */
    static Optional<Message> fromBinary(JsonObject header, byte[] payload) {
        return MessageJson.readBinary(header, payload).map(Message::of);
    }

    /**
     * This message as the update leaves it (docs/protocol.md "Edit and delete"): an edit replaces the text and/or data
     * it carries and marks it edited; a delete removes text, data and attachment and marks it deleted. An update of
     * another message, an edit of a deleted message, or an edit older than this version gives this message back.
     */
    public Message apply(Update u) {
        if (!u.messageId().equals(id()) || wire.deleted()) {
            return this;
        }
        if (u.action() == Update.Action.DELETE) {
            return new Message(deletedVersion(wire));
        }
        if (wire.editedAt().isPresent() && u.at().isBefore(wire.editedAt().get())) {
            return this;
        }
        WireMessage m = wire;
        return new Message(new WireMessage(m.id(), m.seq(), m.channel(), m.from(), m.to(), u.text().or(m::text).orElse(null),
                                           u.data().or(m::data).orElse(null), m.attachment().orElse(null), m.sentAt(),
                                           m.broadcast(), u.at(), false));
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
        return wire.text();
    }

    /** The data in its latest version; empty when it has none or was deleted. */
    public Optional<JsonValue> data() {
        return wire.data();
    }

    /** True once its author edited it (docs/protocol.md "Edit and delete": {@code "edited": true}). */
    public boolean edited() {
        return wire.edited();
    }

    /** When it was last edited. */
    public Optional<Instant> editedAt() {
        return wire.editedAt();
    }

    /** True once its author deleted it: text, data and attachment are gone (on the server too). */
    public boolean deleted() {
        return wire.deleted();
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
        return wire.attachment().map(Attachment::new);
    }

    /** The seq, or {@link WireMessage#NO_SEQ} (negative) for a broadcast. */
    long rawSeq() {
        return wire.seq();
    }

    @Override
    public String toString() {
        return "Message[" + id() + " seq=" + (rawSeq() < 0 ? "-" : rawSeq()) + " " + from() + "->"
                + to().orElse("*") + " channel=" + channel() + attachment().map(a -> " " + a).orElse("")
                + (deleted() ? " deleted" : edited() ? " edited" : "") + "]";
    }
}
