package com.matchbook.realtime.store;

import com.matchbook.realtime.Settings;

/** Picks the store named by {@code matchbook.store}. */
public final class Stores {
    private Stores() {
    }

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
