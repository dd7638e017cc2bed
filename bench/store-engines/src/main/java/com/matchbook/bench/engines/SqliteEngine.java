package com.matchbook.bench.engines;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Properties;

/**
 * SQLite as the server uses it today. The tables, indexes, pragmas and the two statements per entry are the
 * server's ({@code SqliteSchema}, {@code SqliteReaders.open}, {@code GroupCommitWriter}), repeated here because
 * those classes are package-private in a module this tool does not build against; when they change, change this.
 */
final class SqliteEngine implements Engine {
    private final boolean derivedConversations;
    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement upsertConversation;

    /**
     * @param derivedConversations true for the server's layout since 2026-12-01 ({@code sqlite}): a conversation row
     *                             holds only who the peer is and the read marker, written once per conversation (the
     *                             last seq and the unread count are read from the (user, peer, seq) index when the
     *                             list is asked for); false for the layout before ({@code sqlite-counted}): both
     *                             people's rows rewritten per message (last seq, unread counter) with an activity index
     */
    SqliteEngine(boolean derivedConversations) {
        this.derivedConversations = derivedConversations;
    }

    @Override
    public String name() {
        return derivedConversations ? "sqlite" : "sqlite-counted";
    }

    @Override
    public void open(Path dir) throws SQLException {
        Properties p = new Properties();
        p.setProperty("get_generated_keys", "false");   // the server turns off the driver's regex per INSERT
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("messages.db"), p);
        try (Statement s = connection.createStatement()) {
            // Variants to try before the server changes (e.g. -Dengines.sqlite.pragmas=page_size=1024): set before the
            // first table, so the ones fixed at creation (page_size) take effect.
            for (String pragma : System.getProperty("engines.sqlite.pragmas", "").split(",")) {
                if (!pragma.isBlank()) {
                    s.execute("PRAGMA " + pragma.strip());
                }
            }
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("PRAGMA wal_autocheckpoint=4000");
            s.execute("PRAGMA cache_size=-32768");
            s.execute("PRAGMA secure_delete=FAST");
            s.execute("CREATE TABLE messages (position INTEGER PRIMARY KEY, user TEXT NOT NULL, seq INTEGER NOT NULL, "
                              + "id TEXT NOT NULL, channel TEXT NOT NULL, sender TEXT NOT NULL, text TEXT, data TEXT, "
                              + "att_name TEXT, att_type TEXT, payload BLOB, sent_at INTEGER NOT NULL, peer TEXT, "
                              + "kind INTEGER NOT NULL DEFAULT 0, edited_at INTEGER, deleted INTEGER NOT NULL DEFAULT 0)");
            s.execute("CREATE UNIQUE INDEX messages_by_user ON messages (user, seq)");
            s.execute("CREATE INDEX messages_by_conversation ON messages (user, peer, seq)");
            s.execute("CREATE INDEX messages_by_id ON messages (id)");
            if (derivedConversations) {
                s.execute("CREATE TABLE conversation_peers (user TEXT NOT NULL, peer TEXT NOT NULL, "
                                  + "read_seq INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user, peer)) WITHOUT ROWID");
            } else {
                s.execute("CREATE TABLE conversations (user TEXT NOT NULL, peer TEXT NOT NULL, "
                                  + "last_seq INTEGER NOT NULL, read_seq INTEGER NOT NULL DEFAULT 0, "
                                  + "unread INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user, peer)) WITHOUT ROWID");
                s.execute("CREATE INDEX conversations_by_activity ON conversations (user, last_seq)");
            }
        }
        insert = connection.prepareStatement("INSERT INTO messages (user, seq, id, channel, sender, peer, kind, text, "
                + "data, att_name, att_type, payload, sent_at, edited_at, deleted) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        upsertConversation = derivedConversations
                ? connection.prepareStatement("INSERT OR IGNORE INTO conversation_peers (user, peer) VALUES (?, ?)")
                : connection.prepareStatement("INSERT INTO conversations (user, peer, last_seq, unread) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT (user, peer) DO UPDATE SET last_seq = MAX(last_seq, "
                        + "excluded.last_seq), unread = unread + excluded.unread");
    }

    @Override
    public void commit(List<Entry> batch) throws SQLException {
        connection.setAutoCommit(false);
        try {
            for (Entry e : batch) {
                insert.setString(1, e.user());
                insert.setLong(2, e.seq());
                insert.setString(3, e.id());
                insert.setString(4, "chat");
                insert.setString(5, e.sender());
                insert.setString(6, e.peer());
                insert.setInt(7, 0);
                insert.setString(8, e.text());
                insert.setNull(9, Types.VARCHAR);
                insert.setNull(10, Types.VARCHAR);
                insert.setNull(11, Types.VARCHAR);
                insert.setNull(12, Types.BLOB);
                insert.setLong(13, e.sentAtNanos());
                insert.setNull(14, Types.INTEGER);
                insert.setInt(15, 0);
                insert.executeUpdate();
                upsertConversation.setString(1, e.user());
                upsertConversation.setString(2, e.peer());
                if (!derivedConversations) {
                    upsertConversation.setLong(3, e.seq());
                    upsertConversation.setInt(4, e.unread());
                }
                upsertConversation.executeUpdate();
            }
            connection.commit();
        } finally {
            connection.setAutoCommit(true);
        }
    }

    @Override
    public void settle() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    @Override
    public long entries(String user) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM messages WHERE user = ?")) {
            ps.setString(1, user);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
