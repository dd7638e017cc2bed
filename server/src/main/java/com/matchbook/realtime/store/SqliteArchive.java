package com.matchbook.realtime.store;

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
 * <p>Errors: a failed read or write throws {@link StoreUnavailableException}.
 */
final class SqliteArchive implements AutoCloseable {
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

    private final SqliteReaders readers;
    private final Connection writer;
    private final SqliteSchema.Statements sql;
    private final PreparedStatement put;
    private final PreparedStatement expiring;
    private final PreparedStatement expire;

    /** @throws IllegalStateException when the file cannot be opened or created */
    SqliteArchive(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            String url = "jdbc:sqlite:" + dataDir.resolve(FILE).toAbsolutePath();
            this.writer = SqliteReaders.open(url);
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
            this.sql = new SqliteSchema.Statements(writer);
            // A crash after a commit and before the journal recorded the move moves the same entries again.
            this.put = writer.prepareStatement(
                    "INSERT OR REPLACE INTO messages (user, seq, id, channel, sender, peer, kind, text, data, "
                            + "att_name, att_type, payload, sent_at, edited_at, deleted) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            this.expiring = writer.prepareStatement("SELECT DISTINCT user, peer FROM messages WHERE sent_at < ? "
                                                            + "AND kind = 0");
            this.expire = writer.prepareStatement("DELETE FROM messages WHERE sent_at < ?");
            this.readers = new SqliteReaders(url);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the archive in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores entries (latest versions), then applies {@code revisions} ({@link #revise}), in one transaction synced
     * before it returns. Writer thread only.
     */
    void store(List<Message> entries, List<Message> revisions) {
        write(() -> {
            for (Message m : entries) {
                SqliteSchema.bind(put, m);
                put.executeUpdate();
                if (m.update().isEmpty()) {
                    sql.addPeer.setString(1, m.user());
                    sql.addPeer.setString(2, SqliteSchema.peer(m));
                    sql.addPeer.executeUpdate();
                }
            }
            for (Message r : revisions) {
                apply(r);
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
            write(() -> {
                for (Message r : updateEntries) {
                    apply(r);
                }
            });
        }
    }

    private void apply(Message updateEntry) throws SQLException {
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
        write(() -> {
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
            dropEmptied(peers.stream().map(p -> new String[] {user, p}).toList());
        });
    }

    /** Drops the entries sent before {@code before} (the age limit). Writer thread only. */
    void dropSentBefore(Instant before) {
        long cutoff = SqliteSchema.nanos(before);
        write(() -> {
            List<String[]> pairs = new ArrayList<>();
            expiring.setLong(1, cutoff);
            try (ResultSet rs = expiring.executeQuery()) {
                while (rs.next()) {
                    pairs.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            expire.setLong(1, cutoff);
            if (expire.executeUpdate() > 0) {
                dropEmptied(pairs);
            }
        });
    }

    /** Up to {@code limit} entries with {@code afterSeq < seq < below}, oldest first. */
    List<Message> since(String user, long afterSeq, long below, int limit) {
        return messages(SINCE, user, limit, user, afterSeq, below, limit);
    }

    /** The lowest archived seq with {@code afterSeq < seq < below}, or 0 when there is none. */
    long first(String user, long afterSeq, long below) {
        return readers.read(c -> {
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
        return readers.read(c -> {
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
        return readers.read(c -> {
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
        return readers.read(c -> {
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

    @Override
    public void close() {
        readers.close();
        SqliteReaders.closeQuietly(writer);
    }

    /** The rows {@code query} finds with {@code parameters} bound in order, as entries of the user's stream. */
    private List<Message> messages(String query, String user, int limit, Object... parameters) {
        return readers.read(c -> {
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

    private void dropEmptied(List<String[]> pairs) throws SQLException {
        for (String[] pair : pairs) {
            sql.dropPeerIfEmpty.setString(1, pair[0]);
            sql.dropPeerIfEmpty.setString(2, pair[1]);
            sql.dropPeerIfEmpty.addBatch();
        }
        sql.dropPeerIfEmpty.executeBatch();
    }

    private void write(SqliteSchema.Work work) {
        try {
            SqliteSchema.inTransaction(writer, work);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the archive could not be written", e);
        }
    }

    /** {@link SqliteSchema#COLUMNS} of table alias {@code t}. */
    private static String prefixed(String t) {
        return t + "." + SqliteSchema.COLUMNS.replace(", ", ", " + t + ".");
    }
}
