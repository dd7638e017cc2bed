package com.matchbook.realtime.store;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import jakarta.json.JsonValue;

/**
 * The {@link TieredStore}'s history on disk: stream entries moved out of memory, in the disk store's tables
 * ({@link SqliteSchema}, file {@value #FILE} under the data directory, the disk store's file), synced on every commit.
 * It numbers nothing and keeps no per-user state: seqs, read markers, cursors, idempotency records and blocks live in
 * the journal, which takes them from the disk store's tables once, when it starts from a disk store's data directory
 * ({@link #exportState}).
 *
 * <p>Every read takes {@code below}, the first seq the journal still holds for the user: a crash between an archive
 * commit and the journal's record of the move leaves entries in both, and the journal's copy is the one that counts.
 * Writes come from one thread (the tiered store's mover); reads from a pool beside it (WAL).
 *
 * <p>The file is opened by the first call that needs it, not at start ({@link #SqliteArchive}); until then the
 * tiered store serves from its journal.
 *
 * <p>Errors: a failed open, read or write throws {@link StoreUnavailableException}; a failed open is tried again at
 * the next call.
 */
final class SqliteArchive implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SqliteArchive.class.getName());
    private static final String SINCE = "SELECT " + SqliteSchema.COLUMNS + " FROM messages WHERE user = ? "
            + "AND seq > ? AND seq < ? ORDER BY seq LIMIT ?";
    private static final String FIRST = "SELECT MIN(seq) FROM messages WHERE user = ? AND seq > ? AND seq < ?";
    private static final String BY_ID = "SELECT " + SqliteSchema.COLUMNS + " FROM messages WHERE id = ? AND user = ? "
            + "AND kind = 0 AND seq > ? AND seq < ?";
    private static final String PAGE = "SELECT " + SqliteSchema.COLUMNS + " FROM messages WHERE user = ? AND peer = ? "
            + "AND seq > ? AND seq < ? AND kind = 0 ORDER BY seq DESC LIMIT ?";
    /** Each conversation's newest archived message, newest first: one backward index step per conversation. */
    private static final String CONVERSATIONS = "SELECT " + prefixed("m") + " FROM (SELECT c.user, c.peer, "
            + "(SELECT x.seq FROM messages x WHERE x.user = c.user AND x.peer = c.peer AND x.kind = 0 AND x.seq > ?2 "
            + "AND x.seq < ?3 ORDER BY x.seq DESC LIMIT 1) AS last_seq FROM conversation_peers c WHERE c.user = ?1 "
            + "ORDER BY last_seq DESC LIMIT ?4) t JOIN messages m ON m.user = t.user AND m.seq = t.last_seq "
            + "ORDER BY t.last_seq DESC";
    private static final String UNREAD = "SELECT COUNT(*) FROM messages WHERE user = ? AND peer = ? AND sender = ? "
            + "AND kind = 0 AND seq > ? AND seq < ?";

    /** The disk store's file: a data directory the disk store wrote becomes the archive of a tiered store. */
    static final String FILE = "matchbook.db";

    private final Path dataDir;
    private final Path file;
    /** Taken by whoever opens the file first, so it is opened once; see {@link #open}. */
    private final ReentrantLock opening = new ReentrantLock();
    /** The connections and statements once the file is open; null before. */
    private volatile Handles handles;
    /** Set by {@link #close}, under {@link #opening}. */
    private volatile boolean closed;
    /** Told once the file is open, on the thread that opened it (the tiered store's trim waits for it). */
    private final Runnable onOpen;
    /** After a failed open, calls until then fail at once with {@link #lastFailure}: {@link #RETRY_AFTER_FAILURE}. */
    private volatile long failedUntilNanos;
    private volatile StoreUnavailableException lastFailure;
    /**
     * How long a failed open is not tried again: a file another process holds locked makes each try wait SQLite's
     * busy timeout (5 s), and every read that reaches the archive would queue one behind the other.
     */
    private static final long RETRY_AFTER_FAILURE = 1_000_000_000L;

    /** What an open archive holds: the writer's connection and statements, and the readers' pool. */
    private record Handles(Connection writer, SqliteSchema.Statements sql, PreparedStatement put,
                           PreparedStatement expiring, PreparedStatement expire, SqliteReaders readers) {
    }

    /**
     * An archive in {@value #FILE} under {@code dataDir}, not opened yet: the first call that needs the file opens it
     * ({@link #open}), then runs {@code onOpen}.
     *
     * <p>Why not here: opening loads SQLite's native library and checks the schema, 0.3-0.4 s of one core, and the
     * tiered store is the default, so that was a tenth of every node's start on one core (README "Storage"). A node
     * serves from its journal without the archive; only history older than the hot window, and the mover, need it.
     */
    SqliteArchive(Path dataDir, Runnable onOpen) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve(FILE);
        this.onOpen = onOpen;
    }

    /** Whether the file is there and not empty: another store's history (or this one's), not only its mark. */
    boolean holdsData() {
        try {
            return Files.exists(file) && Files.size(file) > 0;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the file, empty, unless it is there, without opening it: the data directory then shows that a tiered
     * store uses it ({@link Stores#checkDataDir}), as it did when the file was opened at start. SQLite takes a file of
     * zero bytes for an empty database, and writes its header at the first open.
     *
     * @throws IllegalStateException when the directory or the file cannot be created
     */
    void markDirectory() {
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // made meanwhile: what was wanted
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the file unless it is open (creating it and its tables if needed); every other call opens it first too.
     * Callers at a low CPU priority should call this first on a normal thread: whoever opens holds the others back.
     *
     * @throws StoreUnavailableException when it cannot be opened (tried again at the first call a second later), or
     *                                   after {@link #close}
     */
    void open() {
        handles();
    }

    /** Whether the file has been opened (and not closed since). */
    boolean isOpen() {
        return handles != null && !closed;
    }

    private Handles handles() {
        Handles h = handles;
        if (h != null && !closed) {
            return h;
        }
        StoreUnavailableException failed = lastFailure;
        if (failed != null && System.nanoTime() - failedUntilNanos < 0) {
            throw new StoreUnavailableException(failed.getMessage(), failed.getCause());
        }
        boolean openedHere = false;
        opening.lock();
        try {
            if (closed) {
                throw new StoreUnavailableException("the archive is closed", null);
            }
            if (handles == null) {
                try {
                    handles = openFile();
                    lastFailure = null;
                    openedHere = true;
                } catch (StoreUnavailableException e) {
                    lastFailure = e;
                    failedUntilNanos = System.nanoTime() + RETRY_AFTER_FAILURE;
                    throw e;
                }
            }
            h = handles;
        } finally {
            opening.unlock();
        }
        if (openedHere) {
            onOpen.run();
        }
        return h;
    }

    private Handles openFile() {
        long started = System.nanoTime();
        Connection writer = null;
        SqliteReaders readers = null;
        try {
            Files.createDirectories(dataDir);
            String url = "jdbc:sqlite:" + file.toAbsolutePath();
            writer = SqliteReaders.open(url);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA cache_size=-32768");
                // docs/protocol.md "Edit and delete (1.1)": a deleted message's bytes are zeroed in their page.
                s.execute("PRAGMA secure_delete=FAST");
            }
            SqliteSchema.create(writer);
            try (Statement s = writer.createStatement()) {
                // Rows arrive user by user as they are moved, not in time order: expiry needs its own index.
                s.execute("CREATE INDEX IF NOT EXISTS messages_by_time ON messages (sent_at)");
            }
            SqliteSchema.Statements sql = new SqliteSchema.Statements(writer);
            // A crash after a commit and before the journal recorded the move moves the same entries again.
            PreparedStatement put = writer.prepareStatement(
                    "INSERT OR REPLACE INTO messages (user, seq, id, channel, sender, peer, kind, text, data, "
                            + "att_name, att_type, payload, sent_at, edited_at, deleted) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            PreparedStatement expiring = writer.prepareStatement("SELECT DISTINCT user, peer FROM messages "
                                                                         + "WHERE sent_at < ? AND kind = 0");
            PreparedStatement expire = writer.prepareStatement("DELETE FROM messages WHERE sent_at < ?");
            readers = new SqliteReaders(url);
            LOG.log(Level.INFO, "event=archive-opened ms=" + (System.nanoTime() - started) / 1_000_000);
            return new Handles(writer, sql, put, expiring, expire, readers);
        } catch (Exception | LinkageError e) {
            // LinkageError: SQLite's native library would not load (a noexec temporary directory, say).
            if (readers != null) {
                readers.close();
            }
            if (writer != null) {
                SqliteReaders.closeQuietly(writer);
            }
            // Clients see this message (a 503's body): the file and SQLite's reason are in the cause, which the
            // mover's failed pass logs (event=archive-move-failed).
            throw new StoreUnavailableException("older history could not be opened", e);
        }
    }

    /**
     * Stores entries (latest versions), then applies {@code revisions} ({@link #revise}), in one transaction synced
     * before it returns. Writer thread only.
     */
    void store(List<Message> entries, List<Message> revisions) {
        write(h -> {
            for (Message m : entries) {
                SqliteSchema.bind(h.put, m);
                h.put.executeUpdate();
                if (m.update().isEmpty()) {
                    h.sql.addPeer.setString(1, m.user());
                    h.sql.addPeer.setString(2, SqliteSchema.peer(m));
                    h.sql.addPeer.executeUpdate();
                }
            }
            for (Message r : revisions) {
                apply(h.sql, r);
            }
        });
    }

    /**
     * Applies edits and deletes, in order and in one transaction, to every archived row of each message, as told by
     * one of its update entries (an edit entry carries the whole new text and data, {@link Message#updateEntry}); a
     * delete empties the message's rows and those of its earlier update entries, and no edit fills a deleted row
     * again. Writer thread only.
     */
    void revise(List<Message> updateEntries) {
        if (!updateEntries.isEmpty()) {
            write(h -> {
                for (Message r : updateEntries) {
                    apply(h.sql, r);
                }
            });
        }
    }

    private static void apply(SqliteSchema.Statements sql, Message updateEntry) throws SQLException {
        Update update = updateEntry.update().orElseThrow();
        if (update.action() == Update.Action.DELETE) {
            sql.delete.setString(1, updateEntry.id());
            sql.delete.executeUpdate();
            return;
        }
        sql.edit.setString(1, updateEntry.text().orElse(null));
        sql.edit.setString(2, updateEntry.data().map(JsonValue::toString).orElse(null));
        sql.edit.setLong(3, SqliteSchema.nanos(update.at()));
        sql.edit.setString(4, updateEntry.id());
        sql.edit.executeUpdate();
    }

    /** Drops the user's entries with seq up to {@code upToSeq} (the count limit). Writer thread only. */
    void dropUpTo(String user, long upToSeq) {
        write(h -> {
            SqliteSchema.Statements sql = h.sql;
            List<String> peers = new ArrayList<>();
            sql.trimmedPeers.setString(1, user);
            sql.trimmedPeers.setLong(2, upToSeq);
            try (ResultSet rs = sql.trimmedPeers.executeQuery()) {
                while (rs.next()) {
                    peers.add(rs.getString(1));
                }
            }
            if (peers.isEmpty()) {
                return;
            }
            sql.trimCount.setString(1, user);
            sql.trimCount.setLong(2, upToSeq);
            sql.trimCount.executeUpdate();
            dropEmptied(sql, peers.stream().map(p -> new String[] {user, p}).toList());
        });
    }

    /** Drops the entries sent before {@code before} (the age limit). Writer thread only. */
    void dropSentBefore(Instant before) {
        long cutoff = SqliteSchema.nanos(before);
        write(h -> {
            List<String[]> pairs = new ArrayList<>();
            h.expiring.setLong(1, cutoff);
            try (ResultSet rs = h.expiring.executeQuery()) {
                while (rs.next()) {
                    pairs.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            h.expire.setLong(1, cutoff);
            if (h.expire.executeUpdate() > 0) {
                dropEmptied(h.sql, pairs);
            }
        });
    }

    /** Up to {@code limit} entries with {@code afterSeq < seq < below}, oldest first. */
    List<Message> since(String user, long afterSeq, long below, int limit) {
        return messages(SINCE, user, limit, user, afterSeq, below, limit);
    }

    /** The lowest archived seq with {@code afterSeq < seq < below}, or 0 when there is none. */
    long first(String user, long afterSeq, long below) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(FIRST)) {
                ps.setString(1, user);
                ps.setLong(2, afterSeq);
                ps.setLong(3, below);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        });
    }

    /** The archived message (not update entry) with this id in the user's stream, seq within the bounds, or null. */
    Message find(String user, String messageId, long afterSeq, long below) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(BY_ID)) {
                ps.setString(1, messageId);
                ps.setString(2, user);
                ps.setLong(3, afterSeq);
                ps.setLong(4, below);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? SqliteSchema.message(user, rs) : null;
                }
            }
        });
    }

    /** Up to {@code limit} messages of the conversation with {@code afterSeq < seq < below}, newest first. */
    List<Message> page(String user, String peer, long afterSeq, long below, int limit) {
        return messages(PAGE, user, limit, user, peer, afterSeq, below, limit);
    }

    /**
     * The newest archived message of each of up to {@code limit} conversations, newest first, seqs within the
     * bounds.
     */
    List<Message> lastOfConversations(String user, long afterSeq, long below, int limit) {
        return messages(CONVERSATIONS, user, limit, user, afterSeq, below, limit);
    }

    /** Archived messages from {@code peer} in the user's conversation with them, {@code afterSeq < seq < below}. */
    long unread(String user, String peer, long afterSeq, long below) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(UNREAD)) {
                ps.setString(1, user);
                ps.setString(2, peer);
                ps.setString(3, peer);
                ps.setLong(4, afterSeq);
                ps.setLong(5, below);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        });
    }

    /**
     * Hands the per-user state the disk store kept in this file to {@code sink}: blocks, each user's last seq and
     * confirmed cursor, read markers, and idempotency records not expired at {@code now}. Tables a disk store never
     * wrote are empty, and so is what this hands over.
     *
     * @return whether there was any user
     */
    boolean exportState(MemoryStore.StateSink sink, Instant now) {
        return read(c -> {
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT user, other FROM blocks")) {
                    while (rs.next()) {
                        sink.block(rs.getString(1), rs.getString(2));
                    }
                }
                boolean any = false;
                // The users table remembers last seqs whose messages expired; the messages hold the newer ones.
                try (ResultSet rs = s.executeQuery("SELECT user, MAX(last), MAX(confirmed) FROM (SELECT user, "
                        + "MAX(seq) AS last, 0 AS confirmed FROM messages GROUP BY user UNION ALL SELECT user, "
                        + "last_seq, confirmed FROM users) GROUP BY user")) {
                    while (rs.next()) {
                        sink.head(rs.getString(1), rs.getLong(2), rs.getLong(3));
                        any = true;
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT user, peer, read_seq FROM conversation_peers "
                        + "WHERE read_seq > 0")) {
                    while (rs.next()) {
                        sink.readMarker(rs.getString(1), rs.getString(2), rs.getLong(3));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT sender, key, id, seq, fingerprint, expires_at "
                        + "FROM idempotency WHERE expires_at > ?")) {
                    ps.setLong(1, SqliteSchema.nanos(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sink.key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                     rs.getString(5), SqliteSchema.instant(rs.getLong(6)));
                        }
                    }
                }
                return any;
            }
        });
    }

    /** Closes the file if it was opened; later calls fail with {@link StoreUnavailableException}. */
    @Override
    public void close() {
        opening.lock();
        try {
            closed = true;
            Handles h = handles;
            if (h != null) {
                h.readers.close();
                SqliteReaders.closeQuietly(h.writer);
            }
        } finally {
            opening.unlock();
        }
    }

    /** Runs a read on the readers' pool, opening the file first if needed. */
    private <T> T read(SqliteReaders.Query<T> query) {
        return handles().readers.read(query);
    }

    /** The rows {@code query} finds with {@code parameters} bound in order, as entries of the user's stream. */
    private List<Message> messages(String query, String user, int limit, Object... parameters) {
        return read(c -> {
            List<Message> out = new ArrayList<>(Math.min(limit, 256));
            try (PreparedStatement ps = c.prepareStatement(query)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(SqliteSchema.message(user, rs));
                    }
                }
            }
            return out;
        });
    }

    private static void dropEmptied(SqliteSchema.Statements sql, List<String[]> pairs) throws SQLException {
        for (String[] pair : pairs) {
            sql.dropPeerIfEmpty.setString(1, pair[0]);
            sql.dropPeerIfEmpty.setString(2, pair[1]);
            sql.dropPeerIfEmpty.addBatch();
        }
        sql.dropPeerIfEmpty.executeBatch();
    }

    /** One transaction of the writer's; its statements are {@code h}'s. */
    private interface Work {
        void run(Handles h) throws SQLException;
    }

    private void write(Work work) {
        Handles h = handles();
        try {
            SqliteSchema.inTransaction(h.writer, () -> work.run(h));
        } catch (SQLException e) {
            throw new StoreUnavailableException("the archive could not be written", e);
        }
    }

    /** {@link SqliteSchema#COLUMNS} of table alias {@code t}. */
    private static String prefixed(String t) {
        return t + "." + SqliteSchema.COLUMNS.replace(", ", ", " + t + ".");
    }
}
