package com.matchbook.bench.engines;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB (an LSM tree: a write appends to its log and a sorted memtable; sorting on disk happens later, in
 * background compaction, which runs on the same one core here and is counted). One {@link WriteBatch} per commit,
 * written with {@code sync=true} (fsync of the log before it returns). Defaults otherwise.
 */
final class RocksEngine implements Engine {
    private Options options;
    private RocksDB db;
    private WriteOptions sync;

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public void open(Path dir) throws RocksDBException {
        RocksDB.loadLibrary();
        options = new Options().setCreateIfMissing(true);
        db = RocksDB.open(options, dir.resolve("rocks").toString());
        sync = new WriteOptions().setSync(true);
    }

    @Override
    public void commit(List<Entry> batch) throws RocksDBException {
        // Conversation rows changed earlier in this batch are not in the database yet: read them from here.
        Map<String, long[]> rows = new HashMap<>();
        try (WriteBatch wb = new WriteBatch()) {
            for (Entry e : batch) {
                wb.put(Keys.stream(e.user(), e.seq()), Keys.value(e));
                wb.put(Keys.page(e.user(), e.peer(), e.seq()), new byte[0]);
                wb.put(Keys.id(e.id(), e.user()), Keys.seq(e.seq()));
                String key = e.user() + '\0' + e.peer();
                long[] row = rows.get(key);
                if (row == null) {
                    byte[] stored = db.get(Keys.conversation(e.user(), e.peer()));
                    row = stored == null ? null
                            : new long[] {ByteBuffer.wrap(stored).getLong(0), ByteBuffer.wrap(stored).getLong(8)};
                }
                if (row != null) {
                    wb.delete(Keys.activity(e.user(), row[0], e.peer()));
                }
                long[] next = {Math.max(row == null ? 0 : row[0], e.seq()), (row == null ? 0 : row[1]) + e.unread()};
                rows.put(key, next);
                wb.put(Keys.conversation(e.user(), e.peer()), Keys.conversationRow(next[0], next[1]));
                wb.put(Keys.activity(e.user(), next[0], e.peer()), new byte[0]);
            }
            db.write(sync, wb);
        }
    }

    @Override
    public void settle() throws RocksDBException, InterruptedException {
        try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            db.flush(wait);
        }
        while (db.getLongProperty("rocksdb.compaction-pending") > 0
                || db.getLongProperty("rocksdb.num-running-compactions") > 0) {
            Thread.sleep(10);
        }
    }

    @Override
    public long entries(String user) {
        byte[] from = Keys.stream(user, 0);
        byte[] prefix = Arrays.copyOf(from, from.length - 8);
        long n = 0;
        try (var it = db.newIterator()) {
            for (it.seek(from); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length != from.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            sync.close();
            options.close();
        }
    }
}
