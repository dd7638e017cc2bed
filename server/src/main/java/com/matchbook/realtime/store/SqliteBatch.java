package com.matchbook.realtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.message.Message;

import jakarta.json.JsonValue;

/** Writes one batch of the queue in one transaction: the group commit. */
final class SqliteBatch {
    /** A conversation, as {@code user} sees it. */
    private record Pair(String user, String peer) {
    }

    private SqliteBatch() {
    }

    static void write(Connection c, SqliteSchema.Statements sql, List<Write> batch, int maxPerUser)
            throws SQLException {
        Map<String, Long> lastSeqs = new HashMap<>();
        SqliteSchema.inTransaction(c, () -> {
            for (Write w : batch) {
                switch (w) {
                    case Write.Append a -> {
                        insert(sql, a.entries(), lastSeqs);
                        if (a.key() != null) {
                            key(sql.insertKey, a.key());
                        }
                    }
                    case Write.Revise r -> {
                        // Rewrite the copies first, then add the entries: a delete's UPDATE also empties the earlier
                        // edit entries, and the delete entry itself carries nothing.
                        revise(sql, r.latest());
                        insert(sql, r.entries(), lastSeqs);
                    }
                    case Write.Read r -> {
                        sql.moveReadMarker.setString(1, r.user());
                        sql.moveReadMarker.setString(2, r.peer());
                        sql.moveReadMarker.setLong(3, r.seq());
                        sql.moveReadMarker.executeUpdate();
                    }
                    case Write.Block b -> {
                        PreparedStatement ps = b.on() ? sql.block : sql.unblock;
                        ps.setString(1, b.user());
                        ps.setString(2, b.other());
                        ps.executeUpdate();
                    }
                    case Write.Cursor cursor -> {
                        sql.upsertCursor.setString(1, cursor.user());
                        sql.upsertCursor.setLong(2, cursor.confirmed());
                        sql.upsertCursor.executeUpdate();
                    }
                    case Write.Trim t -> trimAge(sql, t);
                    case Write.Stop s -> { }
                }
            }
            // Trimming by count never removes a user's newest entry, so the last seq stays readable from the rows
            // themselves; only users past the limit cost statements.
            for (Map.Entry<String, Long> e : lastSeqs.entrySet()) {
                if (e.getValue() > maxPerUser) {
                    trimCount(sql, e.getKey(), e.getValue() - maxPerUser);
                }
            }
        });
    }

    private static void insert(SqliteSchema.Statements sql, List<Message> entries, Map<String, Long> lastSeqs)
            throws SQLException {
        for (Message m : entries) {
            SqliteSchema.bind(sql.insert, m);
            sql.insert.executeUpdate();
            lastSeqs.merge(m.user(), m.seq(), Math::max);
            if (m.update().isPresent()) {
                continue;
            }
            sql.addPeer.setString(1, m.user());
            sql.addPeer.setString(2, SqliteSchema.peer(m));
            sql.addPeer.executeUpdate();
        }
    }

    private static void trimCount(SqliteSchema.Statements sql, String user, long upTo) throws SQLException {
        List<Pair> pairs = new ArrayList<>();
        sql.trimmedPeers.setString(1, user);
        sql.trimmedPeers.setLong(2, upTo);
        try (ResultSet rs = sql.trimmedPeers.executeQuery()) {
            while (rs.next()) {
                pairs.add(new Pair(user, rs.getString(1)));
            }
        }
        sql.trimCount.setString(1, user);
        sql.trimCount.setLong(2, upTo);
        sql.trimCount.executeUpdate();
        dropEmptied(sql, pairs);
    }

    /** After a trim: the rows of those conversations that no longer hold a message go. */
    private static void dropEmptied(SqliteSchema.Statements sql, List<Pair> pairs) throws SQLException {
        for (Pair pair : pairs) {
            sql.dropPeerIfEmpty.setString(1, pair.user());
            sql.dropPeerIfEmpty.setString(2, pair.peer());
            sql.dropPeerIfEmpty.addBatch();
        }
        sql.dropPeerIfEmpty.executeBatch();
    }

    private static void revise(SqliteSchema.Statements sql, Message latest) throws SQLException {
        if (latest.deleted()) {
            sql.delete.setString(1, latest.id());
            sql.delete.executeUpdate();
            return;
        }
        sql.edit.setString(1, latest.text().orElse(null));
        sql.edit.setString(2, latest.data().map(JsonValue::toString).orElse(null));
        sql.edit.setLong(3, SqliteSchema.nanos(latest.editedAt().orElseThrow()));
        sql.edit.setString(4, latest.id());
        sql.edit.executeUpdate();
    }

    private static void key(PreparedStatement ps, Write.KeyRecord k) throws SQLException {
        ps.setString(1, k.sender());
        ps.setString(2, k.key());
        ps.setString(3, k.id());
        ps.setLong(4, k.seq());
        ps.setString(5, k.fingerprint());
        ps.setLong(6, SqliteSchema.nanos(k.expiresAt()));
        ps.executeUpdate();
    }

    private static void trimAge(SqliteSchema.Statements sql, Write.Trim t) throws SQLException {
        long firstKept;
        sql.firstUnexpired.setLong(1, SqliteSchema.nanos(t.before()));
        try (ResultSet rs = sql.firstUnexpired.executeQuery()) {
            firstKept = rs.next() ? rs.getLong(1) : 0;
        }
        // Remember the last seq of every user losing entries (perhaps all of theirs) first.
        sql.keepLastSeqs.setLong(1, firstKept);
        sql.keepLastSeqs.executeUpdate();
        // The conversations losing messages, noted before the rows go: those left empty are dropped after.
        List<Pair> pairs = new ArrayList<>();
        sql.expiringPeers.setLong(1, firstKept);
        try (ResultSet rs = sql.expiringPeers.executeQuery()) {
            while (rs.next()) {
                pairs.add(new Pair(rs.getString(1), rs.getString(2)));
            }
        }
        sql.trimAge.setLong(1, firstKept);
        sql.trimAge.executeUpdate();
        dropEmptied(sql, pairs);
        sql.expireKeys.setLong(1, SqliteSchema.nanos(t.now()));
        sql.expireKeys.executeUpdate();
    }
}
