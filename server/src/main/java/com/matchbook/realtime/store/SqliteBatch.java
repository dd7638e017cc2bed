package com.matchbook.realtime.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes one batch of the queue in one transaction: the group commit. */
final class SqliteBatch {
    private SqliteBatch() {
    }

    static void write(Connection c, SqliteSchema.Statements sql, List<Write> batch, int maxPerUser)
            throws SQLException {
        Map<String, Long> lastSeqs = new HashMap<>();
        c.setAutoCommit(false);
        try {
            int inserts = 0;
            for (Write w : batch) {
                switch (w.kind()) {
                    case MESSAGE -> {
                        SqliteSchema.bind(sql.insert, w.message());
                        sql.insert.addBatch();
                        inserts++;
                        lastSeqs.merge(w.user(), w.message().seq(), Math::max);
                    }
                    case CURSOR -> {
                        sql.upsertCursor.setString(1, w.user());
                        sql.upsertCursor.setLong(2, w.cursor());
                        sql.upsertCursor.executeUpdate();
                    }
                    case TRIM -> {
                        long firstKept;
                        sql.firstUnexpired.setLong(1, SqliteSchema.nanos(w.before()));
                        try (var rs = sql.firstUnexpired.executeQuery()) {
                            firstKept = rs.next() ? rs.getLong(1) : 0;
                        }
                        // Remember the last seq of every user losing messages (perhaps all of theirs) first.
                        sql.keepLastSeqs.setLong(1, firstKept);
                        sql.keepLastSeqs.executeUpdate();
                        sql.trimAge.setLong(1, firstKept);
                        sql.trimAge.executeUpdate();
                    }
                    case STOP -> { }
                }
            }
            if (inserts > 0) {
                sql.insert.executeBatch();
            }
            // Trimming by count never removes a user's newest message, so the last seq stays readable from the
            // messages themselves; only users past the limit cost a statement.
            boolean trimmed = false;
            for (Map.Entry<String, Long> e : lastSeqs.entrySet()) {
                if (e.getValue() > maxPerUser) {
                    sql.trimCount.setString(1, e.getKey());
                    sql.trimCount.setLong(2, e.getValue() - maxPerUser);
                    sql.trimCount.addBatch();
                    trimmed = true;
                }
            }
            if (trimmed) {
                sql.trimCount.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }
}
