package com.matchbook.realtime.message;

import java.time.Instant;
import java.util.Optional;

import jakarta.json.JsonValue;

/**
 * A stored message, numbered in its recipient's history. Immutable; the wire form is encoded once, on first use, and
 * the same bytes go to every connection of the recipient.
 */
public final class Message {
    private final String id;
    private final long seq;
    private final String channel;
    private final String from;
    private final String to;
    private final String text;
    private final JsonValue data;
    private final Attachment attachment;
    private final Instant sentAt;
    private final long acceptedNanos;
    private volatile OutFrame frame;

    public Message(String id, long seq, Draft draft, Instant sentAt, long acceptedNanos) {
        this(id, seq, draft.channel(), draft.from(), draft.to(), draft.text(), draft.data(), draft.attachment(),
             sentAt, acceptedNanos);
    }

    public Message(String id, long seq, String channel, String from, String to, String text, JsonValue data,
                   Attachment attachment, Instant sentAt, long acceptedNanos) {
        this.id = id;
        this.seq = seq;
        this.channel = channel;
        this.from = from;
        this.to = to;
        this.text = text;
        this.data = data;
        this.attachment = attachment;
        this.sentAt = sentAt;
        this.acceptedNanos = acceptedNanos;
    }

    public String id() {
        return id;
    }

    public long seq() {
        return seq;
    }

    public String channel() {
        return channel;
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public Optional<JsonValue> data() {
        return Optional.ofNullable(data);
    }

    public Optional<Attachment> attachment() {
        return Optional.ofNullable(attachment);
    }

    public Instant sentAt() {
        return sentAt;
    }

    /** {@link System#nanoTime()} when this node accepted it; 0 when it came from history or another node. */
    public long acceptedNanos() {
        return acceptedNanos;
    }

    /** The {@code message} frame (text or binary), encoded once. */
    public OutFrame frame() {
        OutFrame f = frame;
        if (f == null) {
            f = Frames.message(this);
            frame = f;
        }
        return f;
    }

    @Override
    public String toString() {
        return "Message[" + id + " seq=" + seq + " " + from + "->" + to + " channel=" + channel + "]";
    }
}
