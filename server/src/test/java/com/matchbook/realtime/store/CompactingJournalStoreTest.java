package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.matchbook.realtime.support.Eventually;

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
        return new JournalStore(dir, MAX_PER_USER, TTL, IDEMPOTENCY_TTL, 1, JournalStore.DELETE_SNAPSHOT_DELAY,
                                announced::add);
    }

    @Test
    void snapshotsKeepOnlyWhatIsRetainedAndOlderGenerationsGo() throws IOException {
        store = open();
        for (int i = 0; i < 50; i++) {
            send("ola", "pim", "a message long enough to count in the journal's size, number " + i);
        }
        store.close();
        store = open();
        assertEquals(50, store.since("pim", 0, 100).lastSeq());
        assertEquals(MAX_PER_USER, store.since("pim", 0, 100).messages().size());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> snapshots = names.stream().filter(n -> n.startsWith("snapshot-")).toList();
            assertEquals(1, snapshots.size(), "one snapshot, the newest: " + names);
            assertTrue(snapshots.getFirst().endsWith(".bin"), "no temporary file is left: " + names);
            String generation = snapshots.getFirst().substring("snapshot-".length(), "snapshot-".length() + 10);
            assertTrue(names.stream().filter(n -> n.startsWith("journal-"))
                               .allMatch(n -> n.compareTo("journal-" + generation) >= 0),
                       "no journal older than the snapshot is kept: " + names);
        }
        long snapshotBytes;
        try (Stream<Path> files = Files.list(dir)) {
            snapshotBytes = files.filter(p -> p.getFileName().toString().startsWith("snapshot-"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
        // Ten retained entries (five in each stream) and two heads, where all 50 texts alone take 3,100 bytes.
        assertTrue(snapshotBytes < 50 * 62, "the snapshot holds the retained state, not all 50 sends: "
                + snapshotBytes);
    }

    /** A snapshot frames its records in a buffer of a megabyte: an entry larger than that must come through whole. */
    @Test
    void anEntryLargerThanTheSnapshotsBufferSurvivesASnapshotAndARestart() throws IOException {
        store = open();
        String large = "0123456789abcdef".repeat(80_000);   // 1.28 MB of text
        send("ola", "pim", "before");
        MessageStore.Accepted big = send("ola", "pim", large);
        send("ola", "pim", "after");
        // Snapshots are taken beside the writes, and one is started only after a write batch while none is running:
        // if the sends above all landed during the snapshot of "before", none holds the large entry yet (the data is
        // safe in the journal, but a snapshot of it is what this test is for). Another user's sends, every 100 ms,
        // start the next one; pim's and ola's streams stay as they are.
        int[] checks = {0};
        Eventually.holds("a snapshot holds the large entry", () -> {
            if (newestSnapshotBytes() > large.length()) {
                return true;
            }
            if (checks[0]++ % 10 == 0) {
                send("rex", "sam", "nudge " + checks[0]);
            }
            return false;
        }, Duration.ofSeconds(30));
        store.close();

        store = open();
        List<String> texts = store.since("pim", 0, 100).messages().stream()
                .map(m -> m.text().orElse("")).toList();
        assertEquals(List.of("before", large, "after"), texts);
        assertEquals(large, store.find("ola", big.id()).orElseThrow().text().orElseThrow());
    }

    /** The size of the largest snapshot file in {@link #dir}, 0 for none. */
    private long newestSnapshotBytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("snapshot-\\d+\\.bin"))
                    .mapToLong(p -> p.toFile().length()).max().orElse(0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
