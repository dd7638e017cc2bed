package com.matchbook.realtime.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * One user's stream in the {@link MemoryStore} and what indexes it: the entries by seq, message ids, update entries
 * per message, conversations with read markers, idempotency records, the last seq and the confirmed cursor. Guarded by
 * its own monitor; {@link MemoryStore} keeps two users' logs consistent by holding both. Entries are kept encoded
 * ({@link EntryCodec}) in the slab and decoded when read; the live path hands the listener the objects it built.
 */
final class UserLog {
    final String user;
    /** This user's number in the conversation tables of others' streams. */
    final int index;
    private final EntrySlab slab;
    final EntryRing stream = new EntryRing();
    /** Message id to its seq in this stream (messages only, not update entries). */
    private final IdIndex seqOfId = new IdIndex();
    /** Message id to the seqs of the update entries about it. */
    private final Map<String, List<Long>> updatesOf = new HashMap<>();
    /** Conversations by peer; each one's messages are chained through the stream ({@link EntryRing#prev}). */
    final ConversationTable convs = new ConversationTable();
    /** This user's sends by idempotency key, until each record expires. */
    final Map<String, KeyRecord> keys = new HashMap<>();
    /** The newest entry's seq; it outlives the entry, so seqs never repeat after a trim. */
    long lastSeq;
    final ConfirmedCursor confirmed = new ConfirmedCursor();
    /** How many times {@link MemoryStore#evict} took entries out (the tiered store's reads watch it). */
    long evictions;

    UserLog(String user, int index, EntrySlab slab) {
        this.user = user;
        this.index = index;
        this.slab = slab;
    }

    /** Whether the entry with this seq is still in the stream (seqs start at 1; 0 means none). */
    boolean retained(long seq) {
        return seq > 0 && seq <= lastSeq && !stream.isEmpty() && seq >= stream.firstSeq();
    }

    /** The entry with this seq, decoded, or null when it is not retained. */
    Message entry(long seq) {
        long handle = stream.get(seq);
        return handle == EntrySlab.NONE ? null : EntryCodec.decode(slab.get(handle), user, seq);
    }

    /** The encoded entry with this seq, which must be retained. */
    byte[] bytes(long seq) {
        return slab.get(stream.get(seq));
    }

    Optional<Message> message(String id) {
        byte[] wanted = EntryCodec.utf8(id);
        long seq = seqOfId.get(id, (s, i) -> EntryCodec.hasId(bytes(s), wanted));
        return seq == 0 ? Optional.empty() : Optional.ofNullable(entry(seq));
    }

    /**
     * Appends {@code entry}, kept as {@code encoded} (its {@link EntryCodec} form); a message joins its
     * conversation with the user numbered {@code peer} (ignored for an update entry).
     */
    void add(Message entry, byte[] encoded, int peer, int maxPerUser) {
        lastSeq = entry.seq();
        long handle = slab.put(encoded);
        if (entry.update().isPresent()) {
            stream.add(entry.seq(), handle, 0, 0);
            updatesOf.computeIfAbsent(entry.id(), i -> new ArrayList<>()).add(entry.seq());
        } else {
            seqOfId.put(entry.id(), entry.seq());
            int slot = convs.findOrAdd(peer);
            boolean own = entry.from().equals(user);
            stream.add(entry.seq(), handle, convs.lastSeq(slot), own ? -(peer + 1) : peer + 1);
            convs.lastSeq(slot, entry.seq());
        }
        while (stream.size() > maxPerUser) {
            removeFirst();
        }
    }

    /** Drops the oldest entry: on a full stream this runs for every append, so it reads only the id. */
    void removeFirst() {
        long seq = stream.firstSeq();
        long handle = stream.removeFirst();
        byte[] gone = slab.get(handle);
        slab.drop(handle);
        String id = EntryCodec.id(gone);
        if (EntryCodec.isUpdate(gone)) {
            List<Long> seqs = updatesOf.get(id);
            if (seqs != null) {
                seqs.remove(Long.valueOf(seq));
                if (seqs.isEmpty()) {
                    updatesOf.remove(id);
                }
            }
            return;
        }
        seqOfId.remove(id, seq);
    }

    /** The newest update entry about message {@code id} still in this stream, or null. */
    Message latestUpdate(String id) {
        List<Long> seqs = updatesOf.get(id);
        return seqs == null || seqs.isEmpty() ? null : entry(seqs.getLast());
    }

    /**
     * {@code kept}, an entry of this stream kept elsewhere (the {@link TieredStore}'s archive), in the version the
     * newest update entry about it in this stream says (a later edit's text, or deleted), or as it is when there is
     * none. An update entry kept elsewhere loses its text once the message is deleted.
     */
    Message overlay(Message kept) {
        Message newest = latestUpdate(kept.id());
        if (newest == null) {
            return kept;
        }
        Update update = newest.update().orElseThrow();
        if (kept.update().isPresent()) {
            return update.action() == Update.Action.DELETE && kept.text().isPresent()
                    ? new Message(user, kept.seq(), kept.id(), kept.channel(), kept.from(), kept.to(), null, null,
                                  null, kept.sentAt(), null, false, kept.update().get(), 0)
                    : kept;
        }
        if (kept.deleted()) {
            return kept;
        }
        return revised(kept, update.action(), newest.text(), newest.data(), update.at());
    }

    /** Messages from the peer of this conversation after the user's read marker; none with oneself. */
    long unread(int slot) {
        if (convs.peer(slot) == index) {
            return 0;
        }
        long n = 0;
        for (long seq = convs.lastSeq(slot); retained(seq) && seq > convs.readSeq(slot); seq = stream.prev(seq)) {
            if (stream.tag(seq) > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Stores the new version of message {@code id} in this stream, and for a delete also empties the earlier
     * update entries of it; returns the new version, or null when this stream no longer holds the message.
     */
    Message revise(String id, Update.Action action, Optional<String> text, Optional<JsonValue> data, Instant at) {
        if (action == Update.Action.DELETE) {
            for (long seq : updatesOf.getOrDefault(id, List.of())) {
                Message entry = entry(seq);
                replace(seq, new Message(user, seq, id, entry.channel(), entry.from(), entry.to(), null, null,
                                         null, entry.sentAt(), null, false, entry.update().orElseThrow(), 0));
            }
        }
        Optional<Message> current = message(id);
        if (current.isEmpty()) {
            return null;
        }
        Message version = revised(current.get(), action, text, data, at);
        replace(version.seq(), version);
        return version;
    }

    /**
     * The new version of message {@code m} (same stream and seq) after an edit (a field left empty keeps its value,
     * {@code editedAt} becomes {@code at}) or a delete (text, data and attachment gone).
     */
    static Message revised(Message m, Update.Action action, Optional<String> text, Optional<JsonValue> data,
                           Instant at) {
        return action == Update.Action.DELETE
                ? new Message(m.user(), m.seq(), m.id(), m.channel(), m.from(), m.to(), null, null, null, m.sentAt(),
                              m.editedAt().orElse(null), true, null, 0)
                : new Message(m.user(), m.seq(), m.id(), m.channel(), m.from(), m.to(),
                              text.or(m::text).orElse(null), data.or(m::data).orElse(null),
                              m.attachment().orElse(null), m.sentAt(), at, false, null, 0);
    }

    /** Stores a new version of the entry at {@code seq}; the old one's bytes are zeroed and freed. */
    private void replace(long seq, Message version) {
        slab.drop(stream.set(seq, slab.put(EntryCodec.encode(version))));
    }

    /**
     * What a send with an idempotency key answered (docs/protocol.md "Idempotent sends (1.1)"): a repeat of the key
     * until {@code expiresAt} gets the same id and seq; with another fingerprint it is refused.
     */
    record KeyRecord(String id, long seq, String fingerprint, Instant expiresAt) {
    }
}
