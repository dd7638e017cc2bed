package com.matchbook.realtime.message;

import java.time.Instant;
import java.util.Optional;

import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.WireMessage;

import jakarta.json.JsonValue;

/**
 * An entry of one user's stream, numbered in it: a message (the recipient's copy, or the sender's own copy with the
 * same id, docs/protocol.md "Conversations (1.1)"), or an update entry telling that the message {@link #id()} was
 * edited or deleted ({@link #update()} present; docs/protocol.md {@code update} frame). The contract's fields are
 * {@link WireMessage}'s, shared with the Java client. Immutable; the hub encodes a live entry's wire form once and the
 * same bytes go to every connection of the stream's user.
 *
 * <p>An update entry carries the message's {@code from}, {@code to} and channel; its {@code text}/{@code data} are
 * those of the edit (none for a delete), and its {@code sentAt} is the update's {@code at}.
 */
public final class Message extends WireMessage {
    private final String user;
    private final Update update;
    private final long acceptedNanos;

    /** The recipient's copy of a new message. */
    public Message(String id, long seq, Draft draft, Instant sentAt, long acceptedNanos) {
        this(id, seq, draft.channel(), draft.from(), draft.to(), draft.text(), draft.data(), draft.attachment(),
             sentAt, acceptedNanos);
    }

    /** A message in the recipient's stream, never edited. */
    public Message(String id, long seq, String channel, String from, String to, String text, JsonValue data,
                   Attachment attachment, Instant sentAt, long acceptedNanos) {
        this(to, seq, id, channel, from, to, text, data, attachment, sentAt, null, false, null, acceptedNanos);
    }

    /**
     * Any stream entry.
     *
     * @param user          whose stream it is in: {@code to} for the recipient's copy, {@code from} for the sender's
     * @param seq           its number in {@code user}'s stream
     * @param editedAt      when the message was last edited, or {@code null}
     * @param deleted       the message was deleted: text, data and attachment must be {@code null}
     * @param update        {@code null} for a message; what happened for an update entry
     * @param acceptedNanos {@link System#nanoTime()} when this node accepted it; 0 when read back
     */
    public Message(String user, long seq, String id, String channel, String from, String to, String text,
                   JsonValue data, Attachment attachment, Instant sentAt, Instant editedAt, boolean deleted,
                   Update update, long acceptedNanos) {
        super(id, seq, channel, from, to, text, data, attachment, sentAt, false, editedAt, deleted);
        this.user = user;
        this.update = update;
        this.acceptedNanos = acceptedNanos;
    }

    /** The same entry in another user's stream under that user's seq (the sender's copy of a message). */
    public Message copyFor(String streamUser, long streamSeq) {
        return new Message(streamUser, streamSeq, id(), channel(), from(), to(), text().orElse(null),
                           data().orElse(null), attachment().orElse(null), sentAt(), editedAt().orElse(null),
                           deleted(), update, acceptedNanos);
    }

    /**
     * The update entry telling {@code streamUser} (at {@code streamSeq}) that this message was edited or deleted.
     * For an edit, {@code text} and {@code data} are the message's latest ones.
     */
    public static Message updateEntry(String streamUser, long streamSeq, Message latest, Update update) {
        boolean edit = update.action() == Update.Action.EDIT;
        return new Message(streamUser, streamSeq, latest.id(), latest.channel(), latest.from(), latest.to(),
                           edit ? latest.text().orElse(null) : null, edit ? latest.data().orElse(null) : null,
                           null, update.at(), null, false, update, 0);
    }

    /** Whose stream this entry is in. */
    public String user() {
        return user;
    }

    /** Whether this is the sender's own copy in their stream (never produces receipts). */
    public boolean ownCopy() {
        return update == null && user.equals(from());
    }

    /** Present for an update entry: the message {@link #id()} was edited or deleted. */
    public Optional<Update> update() {
        return Optional.ofNullable(update);
    }

    /** {@link System#nanoTime()} when this node accepted it; 0 when it came from history or another node. */
    public long acceptedNanos() {
        return acceptedNanos;
    }

    /**
     * The {@code message} frame (text or binary), or the {@code update} frame of an update entry, encoded anew on each
     * call: the hub encodes a live entry once and hands the same bytes to every connection of its user. Not cached
     * here, because the memory store keeps every entry for good, and the bytes with it would double what it keeps.
     */
    public OutFrame frame() {
        return update == null ? Frames.message(this) : Frames.update(this);
    }
}
