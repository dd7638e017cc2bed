package com.matchbook.realtime.store;

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
     * @throws IllegalStateException    when a durable store cannot open its files
     * @throws IllegalArgumentException for a store name {@link Settings} would have refused
     */
    public static MessageStore open(Settings settings, MessageStore.StoredListener listener) {
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
}
