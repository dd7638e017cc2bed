package com.matchbook.realtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.matchbook.realtime.Settings;

/** Picks the store named by {@code matchbook.store}. */
public final class Stores {
    private Stores() {
    }

    /**
     * Opens the store {@code matchbook.store} names: {@code tiered} (the default), {@code disk}, {@code journal} or
     * {@code memory} (the Redis store is opened with the Redis broker, not here).
     *
     * @param listener told about every stored entry, in seq order per user ({@link MessageStore.StoredListener})
     * @throws IllegalStateException    when a durable store cannot open its files, or {@code data-dir} holds another
     *                                  store's files it would not read ({@link #checkDataDir})
     * @throws IllegalArgumentException for a store name {@link Settings} would have refused
     */
    public static MessageStore open(Settings settings, MessageStore.StoredListener listener) {
        checkDataDir(settings.store(), settings.dataDir());
        return switch (settings.store()) {
            case "memory" -> new MemoryStore(settings.historyMaxPerUser(), settings.historyTtl(),
                                             settings.idempotencyTtl(), listener);
            case "disk" -> new SqliteStore(settings.dataDir(), settings.historyMaxPerUser(), settings.historyTtl(),
                                           settings.idempotencyTtl(), listener);
            case "journal" -> new JournalStore(settings.dataDir(), settings.historyMaxPerUser(), settings.historyTtl(),
                                               settings.idempotencyTtl(), listener);
            case "tiered" -> new TieredStore(settings.dataDir(), settings.historyMaxPerUser(), settings.historyTtl(),
                                             settings.idempotencyTtl(), settings.hotHistory().window(),
                                             settings.hotHistory().bytes(), listener);
            default -> throw new IllegalArgumentException("unknown store " + settings.store());
        };
    }

    /**
     * Refuses a durable store on a data directory whose numbering it would not see (README "Storage", one way):
     * {@code disk} where a journal is (the tiered or journal store wrote it: the newest seqs, cursors and messages may
     * be only there), {@code journal} where {@value SqliteArchive#FILE} is (the SQLite or tiered store wrote it:
     * older history and seqs the journal store does not read). Either would give seqs a second time, which clients
     * resuming with {@code since} take as messages they already have. The tiered store reads both, so it is never
     * refused; {@code memory} keeps nothing.
     *
     * @throws IllegalStateException naming what was found and the way out
     */
    static void checkDataDir(String store, Path dataDir) {
        try {
            if (store.equals("disk") && !JournalFile.isNew(dataDir)) {
                throw new IllegalStateException("matchbook.store=disk cannot start on " + dataDir + ": it holds a "
                        + "journal (journal-*.log, snapshot-*.bin) written by the tiered or journal store, whose newest "
                        + "messages and seqs the SQLite store does not read; start with matchbook.store=tiered (the "
                        + "default), or set matchbook.data-dir to a copy taken before the switch");
            }
            if (store.equals("journal") && Files.exists(dataDir.resolve(SqliteArchive.FILE))) {
                throw new IllegalStateException("matchbook.store=journal cannot start on " + dataDir + ": it holds "
                        + SqliteArchive.FILE + ", written by the SQLite or tiered store, whose history and seqs the "
                        + "journal store does not read; start with matchbook.store=tiered (the default, which takes "
                        + "that file over), or use an empty matchbook.data-dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dataDir, e);
        }
    }
}
