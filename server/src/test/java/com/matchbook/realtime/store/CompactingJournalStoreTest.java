package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal store compacting after every batch: the whole contract, and every restart test, must hold when the
 * journal is the state written by a compaction plus what came after it.
 */
class CompactingJournalStoreTest extends DurableStoreContract {
    @TempDir
    Path dir;

    @Override
    MessageStore open() {
        return new JournalStore(dir, MAX_PER_USER, TTL, IDEMPOTENCY_TTL, 1, announced::add);
    }

    @Test
    void aCompactionKeepsOnlyWhatIsRetainedAndOneGeneration() throws IOException {
        store = open();
        for (int i = 0; i < 50; i++) {
            send("ola", "pim", "a message long enough to count in the journal's size, number " + i);
        }
        store.close();
        store = open();
        assertEquals(50, store.since("pim", 0, 100).lastSeq());
        assertEquals(MAX_PER_USER, store.since("pim", 0, 100).messages().size());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), "older generations and temporary files are gone: " + all);
            assertTrue(Files.size(all.getFirst()) < 50 * 80,
                       "the journal holds the retained state, not all 50 sends: " + Files.size(all.getFirst()));
        }
    }
}
