package com.matchbook.realtime.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

/**
 * The disk store's per-user seq counters, cached and loaded from disk on first use: the next seq to give, the highest
 * one on disk, and the confirmed cursor. Appends number under the user's lock and share a read lock; after a failed
 * commit, {@link #forget} takes the write lock alone and drops the cache, so the next seq follows what the disk holds.
 */
final class SqliteNumbering {
    private final SqliteReaders readers;
    private final ConcurrentHashMap<String, UserState> users = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    SqliteNumbering(SqliteReaders readers) {
        this.readers = readers;
    }

    /** Gives the draft its recipient's next seq and hands it to {@code queue} under the user's lock (seq order). */
    Message number(Draft draft, String id, Instant sentAt, long acceptedNanos, Consumer<Message> queue) {
        lock.readLock().lock();
        try {
            UserState user = user(draft.to());
            synchronized (user) {
                Message m = new Message(id, user.lastSeq + 1, draft, sentAt, acceptedNanos);
                user.lastSeq = m.seq();
                queue.accept(m);
                return m;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The message is on disk: history reads may now report its seq as the user's last. */
    void durable(Message m) {
        UserState u = user(m.to());
        synchronized (u) {
            u.durableSeq = Math.max(u.durableSeq, m.seq());
        }
    }

    /** Highest seq of the user known to be on disk. */
    long durableSeq(String user) {
        return user(user).durableSeq;
    }

    long confirmed(String user) {
        UserState u = user(user);
        synchronized (u) {
            return u.confirmed;
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
            long target = Math.min(seq, u.durableSeq);
            if (target <= u.confirmed) {
                return Optional.empty();
            }
            long previous = u.confirmed;
            u.confirmed = target;
            return Optional.of(new Raised(previous, target));
        }
    }

    /** A confirmed cursor that moved: from {@code previous} to {@code now}. */
    record Raised(long previous, long now) {
    }

    /** With no append numbering meanwhile: runs {@code failQueued}, then forgets every counter. */
    void forget(Runnable failQueued) {
        lock.writeLock().lock();
        try {
            failQueued.run();
            users.clear();
        } finally {
            lock.writeLock().unlock();
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
                        u.confirmed = rs.getLong(2);
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
        private long confirmed;
    }
}
