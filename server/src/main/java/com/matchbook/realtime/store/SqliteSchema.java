package com.matchbook.realtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonValue;

/** The disk store's tables and statements, and the mapping between a row and a {@link Message}. */
final class SqliteSchema {
    static final String SELECT_SINCE = "SELECT seq, id, channel, sender, text, data, att_name, att_type, payload, "
            + "sent_at FROM messages WHERE user = ? AND seq > ? ORDER BY seq LIMIT ?";
    static final String SELECT_FIRST = "SELECT MIN(seq) FROM messages WHERE user = ?";
    static final String SELECT_BY_ID = "SELECT seq, id, channel, sender, text, data, att_name, att_type, payload, "
            + "sent_at FROM messages WHERE user = ? AND id = ?";
    /** A user's last seq: the newest message's, or what was remembered before old messages expired. */
    static final String SELECT_USER = "SELECT MAX(COALESCE((SELECT MAX(seq) FROM messages WHERE user = ?1), 0), "
            + "COALESCE((SELECT last_seq FROM users WHERE user = ?1), 0)), "
            + "COALESCE((SELECT confirmed FROM users WHERE user = ?1), 0)";

    private SqliteSchema() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // Rows in arrival order (rowid), so a commit appends to the same few pages instead of touching one page
            // per recipient in a user-ordered tree, and age trimming deletes a prefix. One index, (user, seq), serves
            // replay, history, trimming by count, and finding a message by id among a user's few hundred.
            s.execute("CREATE TABLE IF NOT EXISTS messages (position INTEGER PRIMARY KEY, "
                              + "user TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, channel TEXT NOT NULL, "
                              + "sender TEXT NOT NULL, text TEXT, data TEXT, att_name TEXT, att_type TEXT, "
                              + "payload BLOB, sent_at INTEGER NOT NULL)");
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS messages_by_user ON messages (user, seq)");
            // last_seq is written before messages expire by age: a seq is never given twice, even after all of a
            // user's messages are gone.
            s.execute("CREATE TABLE IF NOT EXISTS users (user TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, "
                              + "confirmed INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID");
        }
    }

    /** Prepared once on the writer's connection. */
    static final class Statements {
        final PreparedStatement insert;
        final PreparedStatement keepLastSeqs;
        final PreparedStatement upsertCursor;
        final PreparedStatement trimCount;
        final PreparedStatement firstUnexpired;
        final PreparedStatement trimAge;

        Statements(Connection c) throws SQLException {
            insert = c.prepareStatement("INSERT INTO messages (user, seq, id, channel, sender, text, data, att_name, "
                                                + "att_type, payload, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            keepLastSeqs = c.prepareStatement("INSERT INTO users (user, last_seq) SELECT user, MAX(seq) FROM messages "
                                                      + "WHERE position < ? GROUP BY user ON CONFLICT (user) "
                                                      + "DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)");
            upsertCursor = c.prepareStatement("INSERT INTO users (user, last_seq, confirmed) VALUES (?, 0, ?) "
                                                      + "ON CONFLICT (user) DO UPDATE SET "
                                                      + "confirmed = MAX(confirmed, excluded.confirmed)");
            trimCount = c.prepareStatement("DELETE FROM messages WHERE user = ? AND seq <= ?");
            // Arrival order is time order: the expired messages are the rows before the first one still young.
            firstUnexpired = c.prepareStatement("SELECT COALESCE((SELECT position FROM messages WHERE sent_at >= ? "
                                                        + "ORDER BY position LIMIT 1), "
                                                        + "(SELECT COALESCE(MAX(position), 0) + 1 FROM messages))");
            trimAge = c.prepareStatement("DELETE FROM messages WHERE position < ?");
        }
    }

    static void bind(PreparedStatement insert, Message m) throws SQLException {
        insert.setString(1, m.to());
        insert.setLong(2, m.seq());
        insert.setString(3, m.id());
        insert.setString(4, m.channel());
        insert.setString(5, m.from());
        insert.setString(6, m.text().orElse(null));
        insert.setString(7, m.data().map(JsonValue::toString).orElse(null));
        insert.setString(8, m.attachment().map(Attachment::name).orElse(null));
        insert.setString(9, m.attachment().map(Attachment::contentType).orElse(null));
        insert.setBytes(10, m.attachment().map(Attachment::bytes).orElse(null));
        insert.setLong(11, nanos(m.sentAt()));
    }

    static Message message(String user, ResultSet rs) throws SQLException {
        String data = rs.getString(6);
        String attName = rs.getString(7);
        Attachment attachment = null;
        if (attName != null) {
            attachment = new Attachment(attName, rs.getString(8), rs.getBytes(9));
        }
        long sentNanos = rs.getLong(10);
        return new Message(rs.getString(2), rs.getLong(1), rs.getString(3), rs.getString(4), user, rs.getString(5),
                           data == null ? null : parse(data), attachment,
                           Instant.ofEpochSecond(0, sentNanos), 0);
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static JsonValue parse(String json) {
        return JsonText.parse(json);
    }
}
