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

    private static final String COLUMNS = "seq, id, channel, sender, peer, kind, text, data, att_name, att_type, "
            + "payload, sent_at, edited_at, deleted";
    static final String SELECT_SINCE = "SELECT " + COLUMNS + " FROM messages WHERE user = ? AND seq > ? ORDER BY seq "
            + "LIMIT ?";
    static final String SELECT_FIRST = "SELECT MIN(seq) FROM messages WHERE user = ?";
    static final String SELECT_BY_ID = "SELECT " + COLUMNS + " FROM messages WHERE id = ? AND user = ? AND kind = 0";
    /** A user's last seq: the newest entry's, or what was remembered before old entries expired. */
    static final String SELECT_USER = "SELECT MAX(COALESCE((SELECT MAX(seq) FROM messages WHERE user = ?1), 0), "
            + "COALESCE((SELECT last_seq FROM users WHERE user = ?1), 0)), "
            + "COALESCE((SELECT confirmed FROM users WHERE user = ?1), 0)";
    /** Most recent first, walking (user, last_seq) backwards: as many index steps as conversations asked for. */
    static final String SELECT_CONVERSATIONS = "SELECT m.seq, m.id, m.channel, m.sender, m.peer, m.kind, m.text, "
            + "m.data, m.att_name, m.att_type, m.payload, m.sent_at, m.edited_at, m.deleted, c.peer, c.unread "
            + "FROM conversations c JOIN messages m ON m.user = c.user AND m.seq = c.last_seq "
            + "WHERE c.user = ? ORDER BY c.last_seq DESC LIMIT ?";
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
            // history and trimming by count; (user, peer, seq) a conversation's pages; (id) the copies of a message
            // for edits, deletes and read receipts.
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
            // One row per conversation, kept in the transaction that writes its messages: the list reads
            // (user, last_seq) backwards instead of grouping the user's history.
            boolean fresh = !exists(c, "conversations");
            s.execute("CREATE TABLE IF NOT EXISTS conversations (user TEXT NOT NULL, peer TEXT NOT NULL, "
                              + "last_seq INTEGER NOT NULL, read_seq INTEGER NOT NULL DEFAULT 0, "
                              + "unread INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user, peer)) WITHOUT ROWID");
            s.execute("CREATE INDEX IF NOT EXISTS conversations_by_activity ON conversations (user, last_seq)");
            if (fresh) {
                // A store written before conversations existed: index what it holds (every message unread).
                s.execute("INSERT INTO conversations (user, peer, last_seq, unread) SELECT user, peer, MAX(seq), "
                                  + "SUM(sender = peer AND peer <> user) FROM messages WHERE kind = 0 "
                                  + "GROUP BY user, peer");
            }
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
        final PreparedStatement upsertConversation;
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
        final PreparedStatement trimConversationsByCount;
        final PreparedStatement firstUnexpired;
        final PreparedStatement expiringLasts;
        final PreparedStatement dropConversation;
        final PreparedStatement trimAge;

        Statements(Connection c) throws SQLException {
            insert = c.prepareStatement("INSERT INTO messages (user, seq, id, channel, sender, peer, kind, text, data, "
                                                + "att_name, att_type, payload, sent_at, edited_at, deleted) "
                                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            upsertConversation = c.prepareStatement("INSERT INTO conversations (user, peer, last_seq, unread) "
                                                            + "VALUES (?, ?, ?, ?) ON CONFLICT (user, peer) DO UPDATE "
                                                            + "SET last_seq = MAX(last_seq, excluded.last_seq), "
                                                            + "unread = unread + excluded.unread");
            // Counts only the messages being marked read now: the cost follows what was read, not the history.
            moveReadMarker = c.prepareStatement("UPDATE conversations SET unread = MAX(0, unread - (SELECT COUNT(*) "
                                                        + "FROM messages WHERE user = ?1 AND peer = ?2 "
                                                        + "AND seq > conversations.read_seq AND seq <= ?3 "
                                                        + "AND sender = ?2 AND kind = 0)), read_seq = ?3 "
                                                        + "WHERE user = ?1 AND peer = ?2 AND read_seq < ?3");
            edit = c.prepareStatement("UPDATE messages SET text = ?, data = ?, edited_at = ? "
                                              + "WHERE id = ? AND kind = 0");
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
            trimConversationsByCount = c.prepareStatement("DELETE FROM conversations WHERE user = ? AND last_seq <= ?");
            // Arrival order is time order: the expired messages are the rows before the first one still young.
            firstUnexpired = c.prepareStatement("SELECT COALESCE((SELECT position FROM messages WHERE sent_at >= ? "
                                                        + "ORDER BY position LIMIT 1), "
                                                        + "(SELECT COALESCE(MAX(position), 0) + 1 FROM messages))");
            expiringLasts = c.prepareStatement("SELECT m.user, m.peer FROM messages m JOIN conversations c "
                                                       + "ON c.user = m.user AND c.peer = m.peer "
                                                       + "AND c.last_seq = m.seq WHERE m.position < ? AND m.kind = 0");
            dropConversation = c.prepareStatement("DELETE FROM conversations WHERE user = ? AND peer = ?");
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
