package com.matchbook.realtime.store;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

/**
 * The default store: SQLite in WAL mode with {@code synchronous=FULL}, one file under {@code matchbook.data-dir}.
 *
 * <p>Group commit: appends are numbered at once (under the user's lock) and queued; one writer thread takes
 * everything queued, writes it in one transaction, syncs once, and only then announces the messages (in queue order,
 * so in seq order per user) and completes their futures. Under load one fsync covers hundreds of messages.
 */
public final class SqliteStore implements MessageStore {
    private static final System.Logger LOG = System.getLogger(SqliteStore.class.getName());
    private static final int MAX_BATCH = 2000;
    private static final int READERS = 4;

    private final StoredListener listener;
    private final int maxPerUser;
    private final Duration ttl;
    private final String url;
    private final Connection writerConnection;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, UserState> users = new ConcurrentHashMap<>();
    /** Appends share it; a failed commit takes it alone to renumber from what is really on disk. */
    private final ReentrantReadWriteLock numbering = new ReentrantReadWriteLock();
    private static final List<Write> NO_MORE = List.of();

    private final Thread writer;
    private final Thread announcer;
    private final LinkedBlockingQueue<List<Write>> committed = new LinkedBlockingQueue<>();
    private final SqliteSchema.Statements sql;
    private volatile boolean healthy = true;
    private volatile boolean closed;

    public SqliteStore(Path dataDir, int maxPerUser, Duration ttl, StoredListener listener) {
        this.listener = listener;
        this.maxPerUser = maxPerUser;
        this.ttl = ttl;
        try {
            Files.createDirectories(dataDir);
            this.url = "jdbc:sqlite:" + dataDir.resolve("matchbook.db").toAbsolutePath();
            this.writerConnection = open();
            try (Statement s = writerConnection.createStatement()) {
                // The writer walks the per-user index at one leaf per recipient: 32 MB of cache (not the default 2)
                // keeps it in memory instead of re-reading it for every commit.
                s.execute("PRAGMA cache_size=-32768");
            }
            SqliteSchema.create(writerConnection);
            this.sql = new SqliteSchema.Statements(writerConnection);
            for (int i = 0; i < READERS; i++) {
                readers.add(open());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the message store in " + dataDir + ": " + e.getMessage(), e);
        }
        this.writer = Thread.ofPlatform().name("matchbook-store-writer").daemon(true).start(this::writeLoop);
        this.announcer = Thread.ofVirtual().name("matchbook-store-announcer").start(this::announceLoop);
    }

    @Override
    public CompletableFuture<Message> append(Draft draft, String id, Instant sentAt, long acceptedNanos) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
        }
        CompletableFuture<Message> done = new CompletableFuture<>();
        numbering.readLock().lock();
        try {
            UserState user = user(draft.to());
            synchronized (user) {
                Message m = new Message(id, user.lastSeq + 1, draft, sentAt, acceptedNanos);
                user.lastSeq = m.seq();
                queue.add(new Write(m, done));   // under the user's lock: queue order is seq order
            }
        } finally {
            numbering.readLock().unlock();
        }
        return done;
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return read(c -> {
            List<Message> out = new ArrayList<>(Math.min(limit, 256));
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_SINCE)) {
                ps.setString(1, user);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(SqliteSchema.message(user, rs));
                    }
                }
            }
            long first;
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_FIRST)) {
                ps.setString(1, user);
                try (ResultSet rs = ps.executeQuery()) {
                    first = rs.next() && rs.getObject(1) != null ? rs.getLong(1) : -1;
                }
            }
            long last = user(user).durableSeq;
            if (!out.isEmpty()) {
                last = Math.max(last, out.getLast().seq());
            }
            return new Slice(out, last, first < 0 ? last + 1 : first);
        });
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_BY_ID)) {
                ps.setString(1, user);
                ps.setString(2, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(SqliteSchema.message(user, rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public long confirmed(String user) {
        UserState u = user(user);
        synchronized (u) {
            return u.confirmed;
        }
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        UserState u = user(user);
        long previous;
        long target;
        synchronized (u) {
            target = Math.min(seq, u.durableSeq);
            if (target <= u.confirmed) {
                return Optional.empty();
            }
            previous = u.confirmed;
            u.confirmed = target;
        }
        // The cursor only decides where a fresh device's replay starts: written behind, in the next batch.
        queue.add(Write.cursor(user, target));
        return Optional.of(previous);
    }

    @Override
    public void trim(Instant now) {
        queue.add(Write.trim(now.minus(ttl)));
    }

    @Override
    public boolean healthy() {
        return healthy && !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(Write.STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
            announcer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(writerConnection);
        readers.forEach(SqliteStore::closeQuietly);
    }

    private void writeLoop() {
        while (true) {
            try {
                List<Write> batch = new ArrayList<>();
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.stream().anyMatch(w -> w.kind() == Write.Kind.STOP);
                commit(batch);
                if (stop) {
                    committed.add(NO_MORE);
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void commit(List<Write> batch) {
        try {
            SqliteBatch.write(writerConnection, sql, batch, maxPerUser);
            healthy = true;
        } catch (SQLException e) {
            healthy = false;
            LOG.log(Level.ERROR, "event=store-commit-failed messages=" + batch.size(), e);
            renumberAfterFailure(batch, e);
            return;
        }
        for (Write w : batch) {
            if (w.kind() == Write.Kind.MESSAGE) {
                UserState u = user(w.message().to());
                synchronized (u) {
                    u.durableSeq = Math.max(u.durableSeq, w.message().seq());
                }
            }
        }
        committed.add(batch);
    }

    /**
     * Announces committed batches, in commit order, from one virtual thread: the fan-out and the acks then start
     * their writers from a virtual thread, which costs a local queue push, where doing it from the platform writer
     * thread would wake a carrier thread for every message.
     */
    private void announceLoop() {
        while (true) {
            List<Write> batch;
            try {
                batch = committed.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == NO_MORE) {
                return;
            }
            for (Write w : batch) {
                if (w.kind() == Write.Kind.MESSAGE) {
                    listener.stored(w.message());
                    w.done().complete(w.message());
                }
            }
        }
    }

    /**
     * Nothing of the batch is on disk, and everything queued behind it was numbered after it: fail all of it (the
     * senders get an error, not an ack) and forget the numbering, so the next seq follows what the disk holds.
     */
    private void renumberAfterFailure(List<Write> batch, SQLException cause) {
        numbering.writeLock().lock();
        try {
            List<Write> failed = new ArrayList<>(batch);
            queue.drainTo(failed);
            StoreUnavailableException error = new StoreUnavailableException("the message could not be stored", cause);
            for (Write w : failed) {
                if (w.kind() == Write.Kind.MESSAGE) {
                    w.done().completeExceptionally(error);
                } else if (w.kind() == Write.Kind.STOP) {
                    queue.add(w);
                }
            }
            users.clear();
        } finally {
            numbering.writeLock().unlock();
        }
    }

    private UserState user(String id) {
        return users.computeIfAbsent(id, this::load);
    }

    private UserState load(String id) {
        return read(c -> {
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

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Query<T> query) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the message store could not be read", e);
        } finally {
            readers.add(c);
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            // Checkpoint (copy the log into the database, with its own syncs) every ~16 MB of log instead of 4 MB.
            s.execute("PRAGMA wal_autocheckpoint=4000");
            s.execute("PRAGMA busy_timeout=5000");
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "closing a store connection failed", e);
        }
    }

    /** Per-user numbering, cached; loaded from disk on first use. Guarded by its own monitor. */
    private static final class UserState {
        private long lastSeq;
        private volatile long durableSeq;
        private long confirmed;
    }
}
