package com.matchbook.realtime.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Switching stores on one data directory: the tiered store takes over what the SQLite and journal stores wrote; the
 * other way, a store that would not see the newest seqs refuses to start instead of numbering messages again.
 */
class StoresTest {
    @TempDir
    Path dir;

    private final List<Message> announced = new ArrayList<>();

    private MessageStore open(String store) {
        return Stores.open(Settings.of(Map.of("matchbook.store", store, "matchbook.data-dir", dir.toString())),
                           announced::add);
    }

    private static long send(MessageStore store, String text) {
        // The seq of lou's copy; kit's copy is numbered in kit's stream, which holds the same messages here.
        return store.append(new Draft("kit", "lou", "chat", text, null, null), "id-" + text, Instant.now(),
                            System.nanoTime(), Optional.empty()).join().seq();
    }

    @Test
    void theSqliteStoreRefusesADirectoryTheTieredStoreWroteAndTheTieredStoreNumbersOn() {
        try (MessageStore disk = open("disk")) {
            assertEquals(1, send(disk, "a"));
        }
        try (MessageStore tiered = open("tiered")) {
            assertEquals(2, send(tiered, "b"), "the tiered store takes the SQLite store's numbering over");
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open("disk"));
        assertTrue(refused.getMessage().contains("holds a journal") && refused.getMessage()
                           .contains("matchbook.store=tiered"), refused.getMessage());
        try (MessageStore tiered = open("tiered")) {
            assertEquals(3, send(tiered, "c"), "nothing lost by the refusal");
        }
    }

    @Test
    void theJournalStoreRefusesADirectoryWithASqliteFile() {
        try (MessageStore disk = open("disk")) {
            send(disk, "a");
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open("journal"));
        assertTrue(refused.getMessage().contains(SqliteArchive.FILE), refused.getMessage());
    }

    @Test
    void theSqliteStoreRefusesTheJournalStoresDirectoryWhichTheTieredStoreTakesOver() {
        try (MessageStore journal = open("journal")) {
            assertEquals(1, send(journal, "a"));
        }
        assertThrows(IllegalStateException.class, () -> open("disk"));
        try (MessageStore tiered = open("tiered")) {
            assertEquals(2, send(tiered, "b"));
        }
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> open("journal"),
                                                     "the journal store where the tiered store wrote its archive");
        assertTrue(refused.getMessage().contains("matchbook.store=tiered"), refused.getMessage());
    }

    @Test
    void eachStoreStartsOnItsOwnDirectoryAgain() {
        for (String store : List.of("disk", "journal", "tiered")) {
            Path own = dir.resolve(store);
            for (int start = 1; start <= 2; start++) {
                try (MessageStore s = Stores.open(Settings.of(Map.of("matchbook.store", store,
                                                                     "matchbook.data-dir", own.toString())),
                                                  announced::add)) {
                    assertEquals(start, send(s, store + start), store + ", start " + start);
                }
            }
        }
    }
}
