package com.matchbook.realtime.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.sqlite.SQLiteConfig;

/**
 * The disk store's read connections: a small fixed pool, so history reads run beside the writer (WAL lets readers
 * see the last commit without waiting for it). Also opens every connection the store uses, with the same pragmas.
 */
final class SqliteReaders implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SqliteReaders.class.getName());
    private static final int READERS = 4;

    /** One read against a pooled connection. */
    interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(READERS);

    SqliteReaders(String url) throws SQLException {
        try {
            for (int i = 0; i < READERS; i++) {
                pool.add(open(url));
            }
        } catch (SQLException | RuntimeException e) {
            close();   // those opened before the failure
            throw e;
        }
    }

    /**
     * Runs a query on a free connection, waiting for one if all are busy.
     *
     * @throws StoreUnavailableException when the read fails or the thread is interrupted
     */
    <T> T read(Query<T> query) {
        Connection c;
        try {
            c = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", e);
        }
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new StoreUnavailableException("the message store could not be read", e);
        } finally {
            pool.add(c);
        }
    }

    @Override
    public void close() {
        pool.forEach(SqliteReaders::closeQuietly);
    }

    /** A connection in WAL mode with full syncs: a commit is on disk when it returns. */
    static Connection open(String url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // The store never asks for generated keys; with them on (the driver's default), every INSERT also matched a
        // regex against its SQL and prepared and ran "SELECT last_insert_rowid()" on a new statement (JFR of the p2p
        // run: ~10% of the server's samples).
        config.setGetGeneratedKeys(false);
        Connection c = config.createConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            // Checkpoint (copy the log into the database, with its own syncs) every ~16 MB of log instead of 4 MB.
            s.execute("PRAGMA wal_autocheckpoint=4000");
            s.execute("PRAGMA busy_timeout=5000");
        } catch (SQLException | RuntimeException e) {
            // A file that is not a database opens, and fails at the first statement: its descriptor must not stay.
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, "closing a store connection failed", e);
        }
    }
}
