package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * Streams in the heap: for tests and benchmarks. Forgets everything on restart.
 *
 * <p>A write touching two streams (a message and its sender's copy, an edit) holds both users' monitors, taken in user
 * id order so that two writes never wait on each other; the listener is told under them, which keeps each stream's
 * announcements in seq order. One class because the streams, conversation index, read markers and idempotency records
 * are kept consistent under those same monitors.
 */
public final class MemoryStore implements MessageStore {
    private final ConcurrentHashMap<String, UserLog> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> blocks = new ConcurrentHashMap<>();
    private final int maxPerUser;
    private final Duration ttl;
    private final Duration idempotencyTtl;
    private final StoredListener listener;

    public MemoryStore(int maxPerUser, Duration ttl, StoredListener listener) {
        this(maxPerUser, ttl, Settings.Timings.IDEMPOTENCY_TTL, listener);
    }

    /** @param idempotencyTtl how long a (sender, key) record answers repeats ({@code matchbook.idempotency-ttl}) */
    public MemoryStore(int maxPerUser, Duration ttl, Duration idempotencyTtl, StoredListener listener) {
        this.maxPerUser = maxPerUser;
        this.ttl = ttl;
        this.idempotencyTtl = idempotencyTtl;
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        UserLog to = log(draft.to());
        UserLog from = log(draft.from());
        try {
            return CompletableFuture.completedFuture(locked(to, from, () -> {
                if (key.isPresent()) {
                    KeyRecord seen = from.keys.get(key.get().key());
                    if (seen != null && seen.expiresAt.isAfter(Instant.now())) {
                        if (!seen.fingerprint.equals(key.get().fingerprint())) {
                            throw StoreRefusal.keyReused(key.get().key());
                        }
                        return new Accepted(seen.id, seen.seq, true);
                    }
                }
                Message message = new Message(id, to.lastSeq + 1, draft, sentAt, acceptedNanos);
                byte[] entry = EntryCodec.encode(message);   // both copies keep this one array
                to.add(message, entry, maxPerUser);
                listener.stored(message);
                if (from != to) {
                    Message copy = message.copyFor(draft.from(), from.lastSeq + 1);
                    from.add(copy, entry, maxPerUser);
                    listener.stored(copy);
                }
                key.ifPresent(k -> from.keys.put(k.key(), new KeyRecord(id, message.seq(), k.fingerprint(),
                                                                        sentAt.plus(idempotencyTtl))));
                return new Accepted(id, message.seq(), false);
            }));
        } catch (StoreRefusal refusal) {
            return CompletableFuture.failedFuture(refusal);
        }
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        UserLog log = users.get(user);
        if (log == null) {
            return new Slice(List.of(), 0, 1);
        }
        synchronized (log) {
            List<Message> out = new ArrayList<>(Math.min(limit, log.stream.size()));
            long first = log.stream.isEmpty() ? log.lastSeq + 1 : log.stream.firstSeq();
            for (long seq = Math.max(afterSeq + 1, first); seq <= log.lastSeq && out.size() < limit; seq++) {
                out.add(log.entry(seq));
            }
            return new Slice(out, log.lastSeq, first);
        }
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        UserLog log = users.get(user);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            return log.message(messageId);
        }
    }

    @Override
    public long confirmed(String user) {
        UserLog log = users.get(user);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.confirmed.value();
        }
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        UserLog log = users.get(user);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            return log.confirmed.raise(seq, log.lastSeq);
        }
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        UserLog log = users.get(user);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            List<Conversation> out = new ArrayList<>(Math.min(limit, log.conversations.size()));
            for (Map.Entry<String, Conv> e : log.conversations.sequencedEntrySet().reversed()) {
                Conv conv = e.getValue();
                Message last = log.entry(conv.seqs.last());
                out.add(new Conversation(e.getKey(), last, log.unread(e.getKey(), conv)));
                if (out.size() == limit) {
                    break;
                }
            }
            return out;
        }
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        UserLog log = users.get(user);
        if (log == null) {
            return new Page(List.of(), false);
        }
        synchronized (log) {
            Conv conv = log.conversations.get(with);
            if (conv == null) {
                return new Page(List.of(), false);
            }
            int older = conv.seqs.countBelow(beforeSeq);
            List<Message> out = new ArrayList<>(Math.min(limit, older));
            int i = older - 1;
            while (i >= 0 && out.size() < limit) {
                out.add(log.entry(conv.seqs.get(i--)));
            }
            return new Page(out.reversed(), i >= 0);
        }
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        UserLog log = users.get(user);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            Optional<Message> m = log.message(messageId);
            m.filter(message -> !message.from().equals(user)).ifPresent(message -> {
                Conv conv = log.conversations.get(UserLog.peer(user, message));
                if (conv != null) {
                    conv.readSeq = Math.max(conv.readSeq, message.seq());
                }
            });
            return m;
        }
    }

    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             Duration editWindow) {
        UserLog authorLog = log(author);
        Message found;
        synchronized (authorLog) {
            found = authorLog.message(messageId).filter(m -> m.from().equals(author)).orElse(null);
        }
        if (found == null) {
            return CompletableFuture.failedFuture(StoreRefusal.notFound(messageId));
        }
        UserLog otherLog = log(found.to());
        try {
            return CompletableFuture.completedFuture(locked(authorLog, otherLog, () -> {
                Message current = authorLog.message(messageId).orElseThrow(() -> StoreRefusal.notFound(messageId));
                if (action == Update.Action.DELETE && current.deleted()) {
                    return current;
                }
                if (action == Update.Action.EDIT) {
                    if (current.deleted()) {
                        throw StoreRefusal.notFound(messageId);
                    }
                    if (at.isAfter(current.sentAt().plus(editWindow))) {
                        throw StoreRefusal.editWindowClosed(messageId);
                    }
                }
                Update update = new Update(action, at);
                Message latest = null;
                for (UserLog log : authorLog == otherLog ? List.of(authorLog) : List.of(authorLog, otherLog)) {
                    Message version = log.revise(messageId, action, text, data, at);
                    if (log == authorLog) {
                        latest = version;
                    }
                    Message model = version != null ? version : latest;
                    Message entry = Message.updateEntry(log.user, log.lastSeq + 1,
                                                        model != null ? model : current, update);
                    log.add(entry, EntryCodec.encode(entry), maxPerUser);
                    listener.stored(entry);
                }
                return latest;
            }));
        } catch (StoreRefusal refusal) {
            return CompletableFuture.failedFuture(refusal);
        }
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        blocks.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(other);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        Set<String> set = blocks.get(user);
        if (set != null) {
            set.remove(other);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Set<String> blocks(String user) {
        Set<String> set = blocks.get(user);
        return set == null ? Set.of() : Set.copyOf(set);
    }

    @Override
    public boolean blockedEither(String a, String b) {
        Set<String> ofA = blocks.get(a);
        Set<String> ofB = blocks.get(b);
        return (ofA != null && ofA.contains(b)) || (ofB != null && ofB.contains(a));
    }

    @Override
    public void trim(Instant now) {
        Instant oldest = now.minus(ttl);
        for (UserLog log : users.values()) {
            synchronized (log) {
                while (!log.stream.isEmpty() && log.entry(log.stream.firstSeq()).sentAt().isBefore(oldest)) {
                    log.removeFirst();
                }
                log.keys.values().removeIf(k -> !k.expiresAt.isAfter(now));
            }
        }
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public void close() {
    }

    private UserLog log(String user) {
        return users.computeIfAbsent(user, UserLog::new);
    }

    /** Runs {@code body} holding both users' monitors, taken in id order (one when they are the same). */
    private static <T> T locked(UserLog a, UserLog b, Supplier<T> body) {
        UserLog first = a.user.compareTo(b.user) <= 0 ? a : b;
        UserLog second = first == a ? b : a;
        synchronized (first) {
            synchronized (second) {
                return body.get();
            }
        }
    }

    private record KeyRecord(String id, long seq, String fingerprint, Instant expiresAt) {
    }

    /** One conversation in one user's stream: its messages' seqs and the user's read marker. */
    private static final class Conv {
        private final SeqList seqs = new SeqList();
        private long readSeq;
    }

    /**
     * One user's stream and what indexes it. Guarded by its own monitor. Entries are kept encoded
     * ({@link EntryCodec}) and decoded when read; the live path hands the listener the objects it just built.
     */
    private static final class UserLog {
        private final String user;
        private final EntryRing stream = new EntryRing();
        /** Message id to its seq in this stream (messages only, not update entries). */
        private final IdIndex seqOfId = new IdIndex();
        /** Message id to the seqs of the update entries about it. */
        private final Map<String, List<Long>> updatesOf = new HashMap<>();
        /**
         * Conversations in the order of their newest message, oldest first: a message moves its conversation to the
         * end (a relink, no allocation), so the list is read backwards.
         */
        private final LinkedHashMap<String, Conv> conversations = new LinkedHashMap<>();
        private final Map<String, KeyRecord> keys = new HashMap<>();
        private long lastSeq;
        private final ConfirmedCursor confirmed = new ConfirmedCursor();

        UserLog(String user) {
            this.user = user;
        }

        static String peer(String user, Message m) {
            return m.from().equals(user) ? m.to() : m.from();
        }

        /** The entry with this seq, decoded, or null when it is not retained. */
        Message entry(long seq) {
            byte[] e = stream.get(seq);
            return e == null ? null : EntryCodec.decode(e, user, seq);
        }

        Optional<Message> message(String id) {
            byte[] wanted = EntryCodec.utf8(id);
            long seq = seqOfId.get(id, (s, i) -> EntryCodec.hasId(stream.get(s), wanted));
            return seq == 0 ? Optional.empty() : Optional.ofNullable(entry(seq));
        }

        /** Appends {@code entry}, kept as {@code encoded} (its {@link EntryCodec} form). */
        void add(Message entry, byte[] encoded, int maxPerUser) {
            lastSeq = entry.seq();
            stream.add(entry.seq(), encoded);
            if (entry.update().isPresent()) {
                updatesOf.computeIfAbsent(entry.id(), i -> new ArrayList<>()).add(entry.seq());
            } else {
                seqOfId.put(entry.id(), entry.seq());
                String with = peer(user, entry);
                Conv conv = conversations.get(with);
                conversations.putLast(with, conv != null ? conv : (conv = new Conv()));
                conv.seqs.add(entry.seq());
            }
            while (stream.size() > maxPerUser) {
                removeFirst();
            }
        }

        void removeFirst() {
            long seq = stream.firstSeq();
            Message gone = EntryCodec.decode(stream.removeFirst(), user, seq);
            if (gone.update().isPresent()) {
                List<Long> seqs = updatesOf.get(gone.id());
                if (seqs != null) {
                    seqs.remove(gone.seq());
                    if (seqs.isEmpty()) {
                        updatesOf.remove(gone.id());
                    }
                }
                return;
            }
            seqOfId.remove(gone.id(), gone.seq());
            String with = peer(user, gone);
            Conv conv = conversations.get(with);
            if (conv == null) {
                return;
            }
            conv.seqs.remove(gone.seq());
            if (conv.seqs.isEmpty()) {
                conversations.remove(with);
            }
        }

        long unread(String with, Conv conv) {
            if (with.equals(user)) {
                return 0;
            }
            long n = 0;
            for (int i = conv.seqs.countBelow(conv.readSeq + 1); i < conv.seqs.size(); i++) {
                if (EntryCodec.from(stream.get(conv.seqs.get(i))).equals(with)) {
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
                    stream.set(seq, EntryCodec.encode(new Message(user, seq, id, entry.channel(), entry.from(),
                                                                  entry.to(), null, null, null, entry.sentAt(), null,
                                                                  false, entry.update().orElseThrow(), 0)));
                }
            }
            Optional<Message> current = message(id);
            if (current.isEmpty()) {
                return null;
            }
            Message m = current.get();
            Message version = action == Update.Action.DELETE
                    ? new Message(user, m.seq(), id, m.channel(), m.from(), m.to(), null, null, null, m.sentAt(),
                                  m.editedAt().orElse(null), true, null, 0)
                    : new Message(user, m.seq(), id, m.channel(), m.from(), m.to(),
                                  text.or(m::text).orElse(null), data.or(m::data).orElse(null),
                                  m.attachment().orElse(null), m.sentAt(), at, false, null, 0);
            stream.set(m.seq(), EntryCodec.encode(version));
            return version;
        }
    }
}
