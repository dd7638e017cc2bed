package com.matchbook.realtime.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import com.matchbook.realtime.Settings.Timings;

/**
 * The disk store's one writer thread: takes everything queued, writes it in one transaction, syncs once, and only then
 * marks the entries durable and hands the batch to the {@link Announcer}. Under load one fsync covers hundreds of
 * messages. A failed commit fails everything queued and has the numbering forget its counters.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());
    private static final int MAX_BATCH = 2000;

    private final Connection connection;
    private final SqliteSchema.Statements sql;
    private final int maxPerUser;
    private final SqliteNumbering numbering;
    private final Announcer announcer;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean healthy = true;

    GroupCommitWriter(String url, int maxPerUser, SqliteNumbering numbering, Announcer announcer)
            throws SQLException {
        this.maxPerUser = maxPerUser;
        this.numbering = numbering;
        this.announcer = announcer;
        this.connection = SqliteReaders.open(url);
        try (Statement s = connection.createStatement()) {
            // The writer walks the per-user index at one leaf per recipient: 32 MB of cache (not the default 2)
            // keeps it in memory instead of re-reading it for every commit.
            s.execute("PRAGMA cache_size=-32768");
            // A deleted message's content is overwritten with zeros in its page when that costs no extra I/O
            // (docs/protocol.md "Edit and delete": the stored content is gone), not left readable in free space.
            s.execute("PRAGMA secure_delete=FAST");
        }
        SqliteSchema.create(connection);
        this.sql = new SqliteSchema.Statements(connection);
        this.thread = Thread.ofPlatform().name("matchbook-store-writer").daemon(true).start(this::loop);
    }

    /** Queues a write; queue order is commit order. */
    void submit(Write w) {
        queue.add(w);
    }

    /** Whether the last commit succeeded. */
    boolean healthy() {
        return healthy;
    }

    /** Commits what is queued, then stops (waits up to {@link Timings#WRITER_STOP_WAIT}). */
    @Override
    public void close() {
        queue.add(Write.STOP);
        try {
            thread.join(Timings.WRITER_STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SqliteReaders.closeQuietly(connection);
    }

    private void loop() {
        while (true) {
            try {
                List<Write> batch = new ArrayList<>();
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.stream().anyMatch(w -> w instanceof Write.Stop);
                commit(batch);
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void commit(List<Write> batch) {
        try {
            SqliteBatch.write(connection, sql, batch, maxPerUser);
            healthy = true;
        } catch (SQLException e) {
            healthy = false;
            LOG.log(Level.ERROR, "event=store-commit-failed messages=" + batch.size(), e);
            numbering.forget(() -> failQueued(batch, e));
            return;
        }
        for (Write w : batch) {
            numbering.committed(w);
        }
        announcer.committed(batch);
    }

    /**
     * Nothing of the batch is on disk, and everything queued behind it was numbered after it: fail all of it (the
     * senders get an error, not an ack). A queued stop is kept.
     */
    private void failQueued(List<Write> batch, SQLException cause) {
        List<Write> failed = new ArrayList<>(batch);
        queue.drainTo(failed);
        StoreUnavailableException error = new StoreUnavailableException("the message could not be stored", cause);
        for (Write w : failed) {
            if (w.done() != null) {
                w.done().completeExceptionally(error);
            } else if (w instanceof Write.Stop) {
                queue.add(w);
            }
        }
    }
}
