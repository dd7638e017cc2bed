package com.matchbook.bench.engines;

import java.nio.file.Path;
import java.util.List;

/**
 * An embedded engine holding the disk store's data in its own layout. Each one keeps what the server's disk store
 * keeps per entry, with the same lookups possible afterwards: a user's stream by seq (replay), a conversation's
 * entries by seq (pages), a message's copies by id (edits, deletes, receipts), and a row per conversation with its
 * last seq and unread count, ordered by activity (the conversation list).
 */
interface Engine extends AutoCloseable {
    /** Short name for the table. */
    String name();

    /** Opens (creating) the engine's files under {@code dir}, an empty directory. */
    void open(Path dir) throws Exception;

    /**
     * Writes the entries in one transaction and returns once it is durable: fsync'd, as the server's group commit
     * does before it acknowledges ({@code synchronous=FULL}).
     */
    void commit(List<Entry> batch) throws Exception;

    /**
     * Finishes the work the engine deferred (SQLite: checkpoint the WAL into the database; RocksDB: flush the
     * memtable and wait for compactions; MVStore: nothing, it writes in place of a log), so its CPU is counted.
     */
    void settle() throws Exception;

    /** How many entries {@code user}'s stream holds, read back from the engine: the check that writes landed. */
    long entries(String user) throws Exception;

    @Override
    void close() throws Exception;
}
