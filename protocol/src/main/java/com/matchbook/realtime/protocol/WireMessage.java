package com.matchbook.realtime.protocol;

import java.time.Instant;
import java.util.Optional;

import jakarta.json.JsonValue;

/**
 * A message as the contract spells it (PROTOCOL.md "Messages"): the fields of a {@code message} frame, of a binary
 * frame's header with its payload, and of a history entry. Immutable. The server's stored message extends it with
 * what only the server needs; the Java client's public {@code Message} wraps one read by {@link MessageJson}.
 *
 * <p>A broadcast is live-only: it has no {@code seq} ({@link #NO_SEQ}) and no recipient ({@code to} is empty).
 */
public class WireMessage {
    /** The {@code seq} of a message that has none: a broadcast. Real seqs start at 1. */
    public static final long NO_SEQ = -1;

    private final String id;
    private final long seq;
    private final String channel;
    private final String from;
    private final String to;
    private final String text;
    private final JsonValue data;
    private final Attachment attachment;
    private final Instant sentAt;
    private final boolean broadcast;
    private final Instant editedAt;
    private final boolean deleted;

    /**
     * @param id         the message id (PROTOCOL.md "Message ids")
     * @param seq        its number in the recipient's history, or {@link #NO_SEQ}
     * @param channel    the channel it was sent on
     * @param from       the sender's user id
     * @param to         the recipient's user id; {@code null} or empty for a broadcast
     * @param text       the text, or {@code null}
     * @param data       the JSON data, or {@code null}
     * @param attachment the file of a binary message, or {@code null}
     * @param sentAt     when the server accepted it
     * @param broadcast  a live-only message to everyone connected
     */
    public WireMessage(String id, long seq, String channel, String from, String to, String text, JsonValue data,
                       Attachment attachment, Instant sentAt, boolean broadcast) {
        this(id, seq, channel, from, to, text, data, attachment, sentAt, broadcast, null, false);
    }

    /**
     * A message in its latest version (docs/protocol.md "Edit and delete (1.1)").
     *
     * @param editedAt when it was last edited, or {@code null} if never
     * @param deleted  deleted by its author: then {@code text}, {@code data} and {@code attachment} are {@code null}
     * @see #WireMessage(String, long, String, String, String, String, JsonValue, Attachment, Instant, boolean)
     */
    public WireMessage(String id, long seq, String channel, String from, String to, String text, JsonValue data,
                       Attachment attachment, Instant sentAt, boolean broadcast, Instant editedAt, boolean deleted) {
        this.id = id;
        this.seq = seq;
        this.channel = channel;
        this.from = from;
        this.to = to == null ? "" : to;
        this.text = text;
        this.data = data;
        this.attachment = attachment;
        this.sentAt = sentAt;
        this.broadcast = broadcast;
        this.editedAt = editedAt;
        this.deleted = deleted;
    }

    public String id() {
        return id;
    }

    /** The message's number in its recipient's history; {@link #NO_SEQ} for a broadcast. */
    public long seq() {
        return seq;
    }

    public String channel() {
        return channel;
    }

    /** The sender's user id. */
    public String from() {
        return from;
    }

    /** The recipient's user id; empty for a broadcast. */
    public String to() {
        return to;
    }

    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public Optional<JsonValue> data() {
        return Optional.ofNullable(data);
    }

    /** The file of a binary message. */
    public Optional<Attachment> attachment() {
        return Optional.ofNullable(attachment);
    }

    /** When the server accepted it. */
    public Instant sentAt() {
        return sentAt;
    }

    /** A live-only message to everyone connected: never stored, never replayed. */
    public boolean broadcast() {
        return broadcast;
    }

    /** Whether its author edited it (docs/protocol.md "Edit and delete (1.1)": {@code "edited": true}). */
    public boolean edited() {
        return editedAt != null;
    }

    /** When it was last edited. */
    public Optional<Instant> editedAt() {
        return Optional.ofNullable(editedAt);
    }

    /** Whether its author deleted it: it then has no text, data or attachment. */
    public boolean deleted() {
        return deleted;
    }

    @Override
    public String toString() {
        return "Message[" + id + " seq=" + seq + " " + from + "->" + to + " channel=" + channel + "]";
    }
}
