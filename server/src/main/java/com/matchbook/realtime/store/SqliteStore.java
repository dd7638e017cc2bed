package com.matchbook.realtime.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * The default store: SQLite in WAL mode with {@code synchronous=FULL}, one file under {@code matchbook.data-dir}.
 * Assembled from its parts: {@link SqliteNumbering} gives seqs at once, {@link GroupCommitWriter} commits what is
 * queued in one transaction and one sync, {@link Announcer} then tells the listener and completes the futures, and
 * {@link SqliteReaders} serves reads beside the writer. {@link SqliteSchema} says what is indexed for what.
 */
public final class SqliteStore implements MessageStore {
    private final Duration ttl;
    private final Duration idempotencyTtl;
    private final SqliteReaders readers;
    private final SqliteNumbering numbering;
    private final Announcer announcer;
    private final GroupCommitWriter writer;
    /** Who each user blocks, loaded on first use: asked on every send, typing and receipt. */
    private final ConcurrentHashMap<String, Set<String>> blocks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SqliteStore(Path dataDir, int maxPerUser, Duration ttl, StoredListener listener) {
        this(dataDir, maxPerUser, ttl, Timings.IDEMPOTENCY_TTL, listener);
    }

    /** @param idempotencyTtl how long a (sender, key) record answers repeats ({@code matchbook.idempotency-ttl}) */
    public SqliteStore(Path dataDir, int maxPerUser, Duration ttl, Duration idempotencyTtl, StoredListener listener) {
        this.ttl = ttl;
        this.idempotencyTtl = idempotencyTtl;
        try {
            Files.createDirectories(dataDir);
            String url = "jdbc:sqlite:" + dataDir.resolve("matchbook.db").toAbsolutePath();
            this.readers = new SqliteReaders(url);
            this.numbering = new SqliteNumbering(readers);
            this.announcer = new Announcer(listener);
            this.writer = new GroupCommitWriter(url, maxPerUser, numbering, announcer);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the message store in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] seq = new long[1];
        Optional<Accepted> known;
        try {
            known = numbering.append(draft, id, sentAt, acceptedNanos, key, idempotencyTtl, done, w -> {
                seq[0] = w.entries().getFirst().seq();
                writer.submit(w);
            });
        } catch (StoreRefusal | StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        return done.thenApply(v -> new Accepted(id, seq[0], false));
    }

    @Override
    public Optional<Accepted> repeatOf(String sender, SendKey key, Instant now) {
        return numbering.repeatOf(sender, key, now);
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return readers.read(c -> {
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
            long last = numbering.durableSeq(user);
            if (!out.isEmpty()) {
                last = Math.max(last, out.getLast().seq());
            }
            return new Slice(out, last, first < 0 ? last + 1 : first);
        });
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        return readers.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_BY_ID)) {
                ps.setString(1, messageId);
                ps.setString(2, user);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(SqliteSchema.message(user, rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public long confirmed(String user) {
        return numbering.confirmed(user);
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        Optional<SqliteNumbering.Raised> raised = numbering.confirm(user, seq);
        // The cursor only decides where a fresh device's replay starts: written behind, in the next batch.
        raised.ifPresent(r -> writer.submit(new Write.Cursor(user, r.now())));
        return raised.map(SqliteNumbering.Raised::previous);
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        return readers.read(c -> {
            List<Conversation> out = new ArrayList<>(Math.min(limit, 200));
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_CONVERSATIONS)) {
                ps.setString(1, user);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Conversation(rs.getString(15), SqliteSchema.message(user, rs), rs.getLong(16)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        return readers.read(c -> {
            List<Message> newestFirst = new ArrayList<>(Math.min(limit + 1, 201));
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_PAGE)) {
                ps.setString(1, user);
                ps.setString(2, with);
                ps.setLong(3, beforeSeq);
                ps.setInt(4, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        newestFirst.add(SqliteSchema.message(user, rs));
                    }
                }
            }
            boolean more = newestFirst.size() > limit;
            List<Message> page = more ? newestFirst.subList(0, limit) : newestFirst;
            return new Page(List.copyOf(page.reversed()), more);
        });
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        Optional<Message> m = find(user, messageId);
        m.filter(message -> !message.from().equals(user)).ifPresent(message -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            writer.submit(new Write.Read(user, message.from(), message.seq(), done));
            await(done);
        });
        return m;
    }

    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             Duration editWindow) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is closed", null));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            Message latest = numbering.revise(author, messageId, action, text, data, at, editWindow, done,
                                              writer::submit,
                                              () -> find(author, messageId).filter(m -> m.from().equals(author)));
            return done.thenApply(v -> latest);
        } catch (StoreRefusal | StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        return blockWrite(user, other, true);
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        return blockWrite(user, other, false);
    }

    @Override
    public Set<String> blocks(String user) {
        return Set.copyOf(blocksOf(user));
    }

    @Override
    public boolean blockedEither(String a, String b) {
        return blocksOf(a).contains(b) || blocksOf(b).contains(a);
    }

    @Override
    public void trim(Instant now) {
        writer.submit(new Write.Trim(now.minus(ttl), now));
    }

    @Override
    public boolean healthy() {
        return writer.healthy() && !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        announcer.close();
        readers.close();
    }

    /** On disk first; the cache changes once the commit succeeded, before the caller's future completes. */
    private CompletableFuture<Void> blockWrite(String user, String other, boolean on) {
        Set<String> set = blocksOf(user);
        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(new Write.Block(user, other, on, done));
        return done.thenRun(() -> {
            if (on) {
                set.add(other);
            } else {
                set.remove(other);
            }
        });
    }

    private Set<String> blocksOf(String user) {
        return blocks.computeIfAbsent(user, u -> readers.read(c -> {
            Set<String> set = ConcurrentHashMap.newKeySet();
            try (PreparedStatement ps = c.prepareStatement(SqliteSchema.SELECT_BLOCKS)) {
                ps.setString(1, u);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        set.add(rs.getString(1));
                    }
                }
            }
            return set;
        }));
    }

    /** Waits for a write its caller answers only once it is on disk (a read marker), as long as HTTP callers do. */
    private static void await(CompletableFuture<Void> done) {
        try {
            done.get(Timings.STORE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("the store did not confirm in time", e);
        } catch (ExecutionException e) {
            throw new StoreUnavailableException("the store failed", e.getCause());
        }
    }
}
