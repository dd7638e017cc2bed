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
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * The default store: SQLite in WAL mode with {@code synchronous=FULL}, one file under {@code matchbook.data-dir}.
 * Assembled from its parts: {@link SqliteNumbering} gives seqs at once, {@link GroupCommitWriter} commits what is
 * queued in one transaction and one sync, {@link Announcer} then tells the listener and completes the futures, and
 * {@link SqliteReaders} serves history beside the writer.
 */
public final class SqliteStore implements MessageStore {
    private final Duration ttl;
    private final SqliteReaders readers;
    private final SqliteNumbering numbering;
    private final Announcer announcer;
    private final GroupCommitWriter writer;
    private volatile boolean closed;

    public SqliteStore(Path dataDir, int maxPerUser, Duration ttl, StoredListener listener) {
        this.ttl = ttl;
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
        CompletableFuture<Message> done = new CompletableFuture<>();
        numbering.number(draft, id, sentAt, acceptedNanos, m -> writer.submit(new Write(m, done)));
        return done.thenApply(m -> new Accepted(m.id(), m.seq(), false));
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
                ps.setString(1, user);
                ps.setString(2, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(SqliteSchema.message(user, rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        return find(user, messageId);
    }

    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             java.time.Duration editWindow) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public java.util.Set<String> blocks(String user) {
        return java.util.Set.of();
    }

    @Override
    public long confirmed(String user) {
        return numbering.confirmed(user);
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        Optional<SqliteNumbering.Raised> raised = numbering.confirm(user, seq);
        // The cursor only decides where a fresh device's replay starts: written behind, in the next batch.
        raised.ifPresent(r -> writer.submit(Write.cursor(user, r.now())));
        return raised.map(SqliteNumbering.Raised::previous);
    }

    @Override
    public void trim(Instant now) {
        writer.submit(Write.trim(now.minus(ttl)));
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
}
