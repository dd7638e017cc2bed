package com.matchbook.realtime.message;

import java.time.Instant;

import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.WireMessage;

import jakarta.json.JsonValue;

/**
 * A stored message, numbered in its recipient's history: the contract's fields ({@link WireMessage}, shared with the
 * Java client) and what only the server needs. Immutable; the wire form is encoded once, on first use, and the same
 * bytes go to every connection of the recipient.
 */
public final class Message extends WireMessage {
    private final long acceptedNanos;
    private volatile OutFrame frame;

    public Message(String id, long seq, Draft draft, Instant sentAt, long acceptedNanos) {
        this(id, seq, draft.channel(), draft.from(), draft.to(), draft.text(), draft.data(), draft.attachment(),
             sentAt, acceptedNanos);
    }

    public Message(String id, long seq, String channel, String from, String to, String text, JsonValue data,
                   Attachment attachment, Instant sentAt, long acceptedNanos) {
        super(id, seq, channel, from, to, text, data, attachment, sentAt, false);
        this.acceptedNanos = acceptedNanos;
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
}
