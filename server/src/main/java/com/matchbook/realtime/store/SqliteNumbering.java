package com.matchbook.realtime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * The disk store's per-user seq counters, cached and loaded from disk on first use: the next seq to give, the highest
 * one on disk, and the confirmed cursor. A write numbers its entries and queues them under the monitors of every user
 * it touches (taken in id order), so queue order is seq order in each stream; writes share a read lock, and after a
 * failed commit {@link #forget} takes the write lock alone and drops the cache, so the next seq follows what the disk
 * holds.
 *
 * <p>Also what is queued but not yet committed and must be seen by the next write: idempotency records (a repeat
 * sent before the first commit is still a repeat) and the newest version of a message being edited or deleted (a
 * delete followed at once by an edit must not write the text back).
 */
final class SqliteNumbering {
    private final SqliteReaders readers;
    private final ConcurrentHashMap<String, UserState> users = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Write.KeyRecord> pendingKeys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Message> pendingVersions = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    SqliteNumbering(SqliteReaders readers) {
        this.readers = readers;
    }

    /**
     * Numbers a message in the recipient's stream and its copy in the sender's, and hands them to {@code queue} as
     * one {@link Write.Append}; or answers a repeat of an idempotency key without writing.
     *
     * @return the answer when it is known now (a repeat), else empty: {@code done} then completes with the append
     * @throws StoreRefusal when the key was used for other content
     */
    Optional<MessageStore.Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                           Optional<MessageStore.SendKey> key, Duration idempotencyTtl,
                                           CompletableFuture<Void> done, Consumer<Write> queue) {
        return locked(draft.to(), draft.from(), (to, from) -> {
            if (key.isPresent()) {
                Optional<MessageStore.Accepted> first = repeatOf(draft.from(), key.get(), Instant.now());
                if (first.isPresent()) {
                    return first;
                }
            }
            Message message = new Message(id, to.lastSeq + 1, draft, sentAt, acceptedNanos);
            to.lastSeq = message.seq();
            List<Message> entries = List.of(message);
            if (from != to) {
                Message copy = message.copyFor(draft.from(), from.lastSeq + 1);
                from.lastSeq = copy.seq();
                entries = List.of(message, copy);
            }
            Write.KeyRecord record = key.map(k -> new Write.KeyRecord(draft.from(), k.key(), id, message.seq(),
                                                                      k.fingerprint(), sentAt.plus(idempotencyTtl)))
                    .orElse(null);
            if (record != null) {
                pendingKeys.put(keyOf(record.sender(), record.key()), record);
            }
            queue.accept(new Write.Append(entries, record, done));
            return Optional.empty();
        });
    }

    /**
     * Numbers the update entries of an edit or delete of {@code current} (the author's copy as it now is) and queues
     * them with the new version; a delete of a deleted message queues nothing.
     *
     * @return the author's copy in its new version
     * @throws StoreRefusal edit of a deleted message ({@code not_found}) or past the window
     */
    Message revise(String author, String messageId, Update.Action action, Optional<String> text,
                   Optional<JsonValue> data, Instant at, Duration editWindow, CompletableFuture<Void> done,
                   Consumer<Write> queue, Supplier<Optional<Message>> onDisk) {
        Message known = current(messageId, onDisk).orElseThrow(() -> StoreRefusal.notFound(messageId));
        return locked(author, known.to(), (a, other) -> {
            Message current = current(messageId, onDisk).orElseThrow(() -> StoreRefusal.notFound(messageId));
            if (action == Update.Action.DELETE && current.deleted()) {
                done.complete(null);
                return current;
            }
            Message latest;
            if (action == Update.Action.DELETE) {
                latest = new Message(author, current.seq(), messageId, current.channel(), current.from(),
                                     current.to(), null, null, null, current.sentAt(),
                                     current.editedAt().orElse(null), true, null, 0);
            } else {
                if (current.deleted()) {
                    throw StoreRefusal.notFound(messageId);
                }
                if (at.isAfter(current.sentAt().plus(editWindow))) {
                    throw StoreRefusal.editWindowClosed(messageId);
                }
                latest = new Message(author, current.seq(), messageId, current.channel(), current.from(),
                                     current.to(), text.or(current::text).orElse(null),
                                     data.or(current::data).orElse(null), current.attachment().orElse(null),
                                     current.sentAt(), at, false, null, 0);
            }
            Update update = new Update(action, at);
            Message forAuthor = Message.updateEntry(author, a.lastSeq + 1, latest, update);
            a.lastSeq = forAuthor.seq();
            List<Message> entries = List.of(forAuthor);
            if (other != a) {
                Message forOther = Message.updateEntry(current.to(), other.lastSeq + 1, latest, update);
                other.lastSeq = forOther.seq();
                entries = List.of(forAuthor, forOther);
            }
            pendingVersions.put(messageId, latest);
            queue.accept(new Write.Revise(latest, entries, done));
            return latest;
        });
    }

    /** What was written is on disk: its entries' seqs may be reported, and the disk now answers for its key. */
    void committed(Write w) {
        for (Message m : w.entries()) {
            UserState u = user(m.user());
            synchronized (u) {
                u.durableSeq = Math.max(u.durableSeq, m.seq());
            }
        }
        if (w instanceof Write.Append a && a.key() != null) {
            pendingKeys.remove(keyOf(a.key().sender(), a.key().key()), a.key());
        } else if (w instanceof Write.Revise r) {
            pendingVersions.remove(r.latest().id(), r.latest());
        }
    }

    /** Highest seq of the user known to be on disk. */
    long durableSeq(String user) {
        return user(user).durableSeq;
    }

    long confirmed(String user) {
        UserState u = user(user);
        synchronized (u) {
            return u.confirmed.value();
        }
    }

    /**
     * Raises the confirmed cursor to {@code seq}, never past what is on disk.
     *
     * @return the cursor's previous and new value, or empty if nothing changed
     */
    Optional<Raised> confirm(String user, long seq) {
        UserState u = user(user);
        synchronized (u) {
            return u.confirmed.raise(seq, u.durableSeq).map(previous -> new Raised(previous, u.confirmed.value()));
        }
    }

    /** A confirmed cursor that moved: from {@code previous} to {@code now}. */
    record Raised(long previous, long now) {
    }

    /** With no write numbering meanwhile: runs {@code failQueued}, then forgets every counter and pending write. */
    void forget(Runnable failQueued) {
        lock.writeLock().lock();
        try {
            failQueued.run();
            users.clear();
            pendingKeys.clear();
            pendingVersions.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private Optional<Message> current(String messageId, Supplier<Optional<Message>> onDisk) {
        Message pending = pendingVersions.get(messageId);
        return pending != null ? Optional.of(pending) : onDisk.get();
    }

    /** {@link MessageStore#repeatOf}: pending records first, then the database. */
    Optional<MessageStore.Accepted> repeatOf(String sender, MessageStore.SendKey key, Instant now) {
        return key(sender, key.key()).flatMap(seen -> key.repeatOf(seen.id(), seen.seq(), seen.fingerprint(),
                                                                    seen.expiresAt(), now));
    }

    private Optional<Write.KeyRecord> key(String sender, String key) {
        Write.KeyRecord pending = pendingKeys.get(keyOf(sender, key));
        if (pending != null) {
            return Optional.of(pending);
        }
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_KEY)) {
                ps.setString(1, sender);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Write.KeyRecord(sender, key, rs.getString(1), rs.getLong(2),
                                                           rs.getString(3), SqliteSchema.instant(rs.getLong(4))));
                }
            }
        });
    }

    private static String keyOf(String sender, String key) {
        return sender + '\n' + key;
    }

    /** Body of a write touching two streams (the same one twice when a = b). */
    private interface TwoUsers<T> {
        T run(UserState a, UserState b);
    }

    /** Runs {@code body} under the read lock and both users' monitors, taken in id order. */
    private <T> T locked(String a, String b, TwoUsers<T> body) {
        lock.readLock().lock();
        try {
            UserState ua = user(a);
            UserState ub = a.equals(b) ? ua : user(b);
            UserState first = a.compareTo(b) <= 0 ? ua : ub;
            UserState second = first == ua ? ub : ua;
            synchronized (first) {
                synchronized (second) {
                    return body.run(ua, ub);
                }
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    private UserState user(String id) {
        return users.computeIfAbsent(id, this::load);
    }

    private UserState load(String id) {
        return readers.read(c -> {
            UserState u = new UserState();
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_USER)) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        u.lastSeq = rs.getLong(1);
                        u.confirmed.load(rs.getLong(2));
                    }
                }
            }
            u.durableSeq = u.lastSeq;
            return u;
        });
    }

    /** One user's counters. Guarded by its own monitor. */
    private static final class UserState {
        private long lastSeq;
        private volatile long durableSeq;
        private final ConfirmedCursor confirmed = new ConfirmedCursor();
    }
}
