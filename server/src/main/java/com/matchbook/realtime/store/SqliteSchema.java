package com.matchbook.realtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonValue;

/**
 * The disk store's tables and statements, and the mapping between a row and a {@link Message}.
 *
 * <p>One row per stream entry: {@code user} is whose stream, {@code peer} the other person of the conversation,
 * {@code kind} 0 for a message, 1 for an edit entry, 2 for a delete entry. A message's row holds its latest version
 * (edits and deletes rewrite it in place, so no read has to merge versions).
 */
final class SqliteSchema {
    static final int MESSAGE = 0;
    static final int EDIT = 1;
    static final int DELETE = 2;

    static final String COLUMNS = "seq, id, channel, sender, peer, kind, text, data, att_name, att_type, "
            + "payload, sent_at, edited_at, deleted";
    static final String SELECT_SINCE = "SELECT " + COLUMNS + " FROM messages WHERE user = ? AND seq > ? ORDER BY seq "
            + "LIMIT ?";
    static final String SELECT_FIRST = "SELECT MIN(seq) FROM messages WHERE user = ?";
    static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM messages WHERE id = ? AND user = ? AND kind = 0";
    /** A user's last seq: the newest entry's, or what was remembered before old entries expired. */
    static final String SELECT_USER = "SELECT MAX(COALESCE((SELECT MAX(seq) FROM messages WHERE user = ?1), 0), "
            + "COALESCE((SELECT last_seq FROM users WHERE user = ?1), 0)), "
            + "COALESCE((SELECT confirmed FROM users WHERE user = ?1), 0)";
    /**
     * Most recent first. A conversation's last message and unread count are read from the (user, peer, seq) index, not
     * kept in rows a send would have to rewrite: one backward index step per conversation of the user (past any update
     * entries) to rank them, then, for the {@code limit} listed only, a count of the messages from the peer after the
     * read marker. The inner LIMIT keeps SQLite from counting for conversations it will not list. A conversation left
     * without messages has no last seq: it sorts after the others (NULL is the least value) and the join drops it.
     */
    static final String SELECT_CONVERSATIONS = "SELECT m.seq, m.id, m.channel, m.sender, m.peer, m.kind, m.text, "
            + "m.data, m.att_name, m.att_type, m.payload, m.sent_at, m.edited_at, m.deleted, t.peer, "
            + "CASE WHEN t.peer = t.user THEN 0 ELSE (SELECT COUNT(*) FROM messages u WHERE u.user = t.user "
            + "AND u.peer = t.peer AND u.seq > t.read_seq AND u.sender = t.peer AND u.kind = 0) END "
            + "FROM (SELECT p.user, p.peer, p.read_seq, p.last_seq FROM (SELECT c.user, c.peer, c.read_seq, "
            + "(SELECT x.seq FROM messages x WHERE x.user = c.user AND x.peer = c.peer AND x.kind = 0 "
            + "ORDER BY x.seq DESC LIMIT 1) AS last_seq FROM conversation_peers c WHERE c.user = ?1) p "
            + "ORDER BY p.last_seq DESC LIMIT ?2) t "
            + "JOIN messages m ON m.user = t.user AND m.seq = t.last_seq ORDER BY t.last_seq DESC";
    /** Newest first from the (user, peer, seq) index; one more than asked tells whether older ones remain. */
    static final String SELECT_PAGE = "SELECT " + COLUMNS + " FROM messages WHERE user = ? AND peer = ? AND seq < ? "
            + "AND kind = 0 ORDER BY seq DESC LIMIT ?";
    static final String SELECT_KEY = "SELECT id, seq, fingerprint, expires_at FROM idempotency "
            + "WHERE sender = ? AND key = ?";
    static final String SELECT_BLOCKS = "SELECT other FROM blocks WHERE user = ?";

    private SqliteSchema() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // Rows in arrival order (rowid), so a commit appends to the same few pages instead of touching one page
            // per recipient in a user-ordered tree, and age trimming deletes a prefix. (user, seq) serves replay,
            // history and trimming by count; (user, peer, seq) a conversation's pages, last message and unread
            // count; (id) the copies of a message for edits, deletes and read receipts.
            s.execute("CREATE TABLE IF NOT EXISTS messages (position INTEGER PRIMARY KEY, "
                              + "user TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, channel TEXT NOT NULL, "
                              + "sender TEXT NOT NULL, text TEXT, data TEXT, att_name TEXT, att_type TEXT, "
                              + "payload BLOB, sent_at INTEGER NOT NULL, peer TEXT, kind INTEGER NOT NULL DEFAULT 0, "
                              + "edited_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0)");
            migrate(c, s);
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS messages_by_user ON messages (user, seq)");
            s.execute("CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (user, peer, seq)");
            s.execute("CREATE INDEX IF NOT EXISTS messages_by_id ON messages (id)");
            // last_seq is written before messages expire by age: a seq is never given twice, even after all of a
            // user's messages are gone.
            s.execute("CREATE TABLE IF NOT EXISTS users (user TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, "
                              + "confirmed INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID");
            conversationPeers(c, s);
            s.execute("CREATE TABLE IF NOT EXISTS idempotency (sender TEXT NOT NULL, key TEXT NOT NULL, "
                              + "id TEXT NOT NULL, seq INTEGER NOT NULL, fingerprint TEXT NOT NULL, "
                              + "expires_at INTEGER NOT NULL, PRIMARY KEY (sender, key)) WITHOUT ROWID");
            s.execute("CREATE INDEX IF NOT EXISTS idempotency_by_expiry ON idempotency (expires_at)");
            s.execute("CREATE TABLE IF NOT EXISTS blocks (user TEXT NOT NULL, other TEXT NOT NULL, "
                              + "PRIMARY KEY (user, other)) WITHOUT ROWID");
        }
    }

    /** Adds the 1.1 columns to a store written by an earlier version; its rows are all recipients' copies. */
    private static void migrate(Connection c, Statement s) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(messages)")) {
            while (rs.next()) {
                columns.add(rs.getString("name"));
            }
        }
        if (columns.contains("peer")) {
            return;
        }
        s.execute("ALTER TABLE messages ADD COLUMN peer TEXT");
        s.execute("ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0");
        s.execute("ALTER TABLE messages ADD COLUMN edited_at INTEGER");
        s.execute("ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0");
        s.execute("UPDATE messages SET peer = sender");
    }

    /**
     * One row per conversation of a user: who the peer is and the read marker. Written when a conversation starts and
     * when the marker moves, never per message: the last message and the unread count come from the messages' own
     * (user, peer, seq) index ({@link #SELECT_CONVERSATIONS}). Keeping them in the row, as stores written before
     * 2026-12-01 did (table {@code conversations}), rewrote two rows and two index entries per message, a fifth of the
     * writer's CPU (bench/README.md "Storage engines").
     */
    private static void conversationPeers(Connection c, Statement s) throws SQLException {
        if (exists(c, "conversation_peers")) {
            return;
        }
        boolean counted = exists(c, "conversations");
        inTransaction(c, () -> {
            s.execute("CREATE TABLE conversation_peers (user TEXT NOT NULL, peer TEXT NOT NULL, "
                              + "read_seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user, peer)) WITHOUT ROWID");
            if (counted) {
                // Written by the first 1.1 layout: keep the read markers, drop the counters.
                s.execute("INSERT INTO conversation_peers (user, peer, read_seq) "
                                  + "SELECT user, peer, read_seq FROM conversations");
                s.execute("DROP TABLE conversations");
            } else {
                // Written before conversations existed: everything it holds is unread.
                s.execute("INSERT INTO conversation_peers (user, peer) SELECT DISTINCT user, peer FROM messages "
                                  + "WHERE kind = 0");
            }
        });
    }

    /** Statements run in one transaction on a connection in auto-commit mode. */
    interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws (and rethrown). */
    static void inTransaction(Connection c, Work work) throws SQLException {
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        String sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Prepared once on the writer's connection. */
    static final class Statements {
        final PreparedStatement insert;
        final PreparedStatement addPeer;
        final PreparedStatement moveReadMarker;
        final PreparedStatement edit;
        final PreparedStatement delete;
        final PreparedStatement insertKey;
        final PreparedStatement expireKeys;
        final PreparedStatement block;
        final PreparedStatement unblock;
        final PreparedStatement keepLastSeqs;
        final PreparedStatement upsertCursor;
        final PreparedStatement trimCount;
        final PreparedStatement trimmedPeers;
        final PreparedStatement firstUnexpired;
        final PreparedStatement expiringPeers;
        final PreparedStatement dropPeerIfEmpty;
        final PreparedStatement trimAge;

        Statements(Connection c) throws SQLException {
            insert = c.prepareStatement("INSERT INTO messages (user, seq, id, channel, sender, peer, kind, text, data, "
                                                + "att_name, att_type, payload, sent_at, edited_at, deleted) "
                                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            addPeer = c.prepareStatement("INSERT OR IGNORE INTO conversation_peers (user, peer) VALUES (?, ?)");
            moveReadMarker = c.prepareStatement("UPDATE conversation_peers SET read_seq = ?3 "
                                                        + "WHERE user = ?1 AND peer = ?2 AND read_seq < ?3");
            // Never a deleted row: an archive may be told about an older edit after the delete (TieredStore).
            edit = c.prepareStatement("UPDATE messages SET text = ?, data = ?, edited_at = ? "
                                              + "WHERE id = ? AND kind = 0 AND deleted = 0");
            // Every row of the message, its update entries included: the content leaves the database.
            delete = c.prepareStatement("UPDATE messages SET text = NULL, data = NULL, att_name = NULL, "
                                                + "att_type = NULL, payload = NULL, deleted = (kind = 0) WHERE id = ?");
            insertKey = c.prepareStatement("INSERT OR REPLACE INTO idempotency (sender, key, id, seq, fingerprint, "
                                                   + "expires_at) VALUES (?, ?, ?, ?, ?, ?)");
            expireKeys = c.prepareStatement("DELETE FROM idempotency WHERE expires_at <= ?");
            block = c.prepareStatement("INSERT OR IGNORE INTO blocks (user, other) VALUES (?, ?)");
            unblock = c.prepareStatement("DELETE FROM blocks WHERE user = ? AND other = ?");
            keepLastSeqs = c.prepareStatement("INSERT INTO users (user, last_seq) SELECT user, MAX(seq) FROM messages "
                                                      + "WHERE position < ? GROUP BY user ON CONFLICT (user) "
                                                      + "DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)");
            upsertCursor = c.prepareStatement("INSERT INTO users (user, last_seq, confirmed) VALUES (?, 0, ?) "
                                                      + "ON CONFLICT (user) DO UPDATE SET "
                                                      + "confirmed = MAX(confirmed, excluded.confirmed)");
            trimCount = c.prepareStatement("DELETE FROM messages WHERE user = ? AND seq <= ?");
            // The conversations that lose messages to a trim: only they can become empty.
            trimmedPeers = c.prepareStatement("SELECT DISTINCT peer FROM messages WHERE user = ? AND seq <= ? "
                                                      + "AND kind = 0");
            // Arrival order is time order: the expired messages are the rows before the first one still young.
            firstUnexpired = c.prepareStatement("SELECT COALESCE((SELECT position FROM messages WHERE sent_at >= ? "
                                                        + "ORDER BY position LIMIT 1), "
                                                        + "(SELECT COALESCE(MAX(position), 0) + 1 FROM messages))");
            expiringPeers = c.prepareStatement("SELECT DISTINCT user, peer FROM messages WHERE position < ? "
                                                       + "AND kind = 0");
            // A conversation whose messages have all gone is not listed; its row goes too (read marker included),
            // so the list's cost follows the conversations that still hold messages.
            dropPeerIfEmpty = c.prepareStatement("DELETE FROM conversation_peers WHERE user = ?1 AND peer = ?2 "
                                                         + "AND NOT EXISTS (SELECT 1 FROM messages WHERE user = ?1 "
                                                         + "AND peer = ?2 AND kind = 0)");
            trimAge = c.prepareStatement("DELETE FROM messages WHERE position < ?");
        }
    }

    /** The other person of an entry's conversation, seen from the stream's user. */
    static String peer(Message m) {
        return m.user().equals(m.from()) ? m.to() : m.from();
    }

    static void bind(PreparedStatement insert, Message m) throws SQLException {
        insert.setString(1, m.user());
        insert.setLong(2, m.seq());
        insert.setString(3, m.id());
        insert.setString(4, m.channel());
        insert.setString(5, m.from());
        insert.setString(6, peer(m));
        insert.setInt(7, m.update().map(u -> u.action() == Update.Action.EDIT ? EDIT : DELETE).orElse(MESSAGE));
        insert.setString(8, m.text().orElse(null));
        insert.setString(9, m.data().map(JsonValue::toString).orElse(null));
        insert.setString(10, m.attachment().map(Attachment::name).orElse(null));
        insert.setString(11, m.attachment().map(Attachment::contentType).orElse(null));
        insert.setBytes(12, m.attachment().map(Attachment::bytes).orElse(null));
        insert.setLong(13, nanos(m.sentAt()));
        if (m.editedAt().isPresent()) {
            insert.setLong(14, nanos(m.editedAt().get()));
        } else {
            insert.setNull(14, Types.INTEGER);
        }
        insert.setInt(15, m.deleted() ? 1 : 0);
    }

    /** The entry of {@code user}'s stream in the current row (columns in {@link #COLUMNS} order). */
    static Message message(String user, ResultSet rs) throws SQLException {
        String sender = rs.getString(4);
        String peer = rs.getString(5);
        int kind = rs.getInt(6);
        String data = rs.getString(8);
        String attName = rs.getString(9);
        Attachment attachment = null;
        if (attName != null) {
            attachment = new Attachment(attName, rs.getString(10), rs.getBytes(11));
        }
        Instant sentAt = instant(rs.getLong(12));
        long editedNanos = rs.getLong(13);
        Instant editedAt = rs.wasNull() ? null : instant(editedNanos);
        Update update = switch (kind) {
            case EDIT -> new Update(Update.Action.EDIT, sentAt);
            case DELETE -> new Update(Update.Action.DELETE, sentAt);
            default -> null;
        };
        String to = user.equals(sender) ? peer : user;
        return new Message(user, rs.getLong(1), rs.getString(2), rs.getString(3), sender, to, rs.getString(7),
                           data == null ? null : JsonText.parse(data), attachment, sentAt, editedAt,
                           rs.getInt(14) != 0, update, 0);
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
