package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import com.matchbook.realtime.support.LogLines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal store: the contract, restarts, and what a crash can leave in the file. */
class JournalStoreTest extends DurableStoreContract {
    @TempDir
    Path dir;

    @Override
    MessageStore open() {
        return new JournalStore(dir, MAX_PER_USER, TTL, IDEMPOTENCY_TTL, JournalStore.MIN_COMPACT_BYTES,
                                JournalStore.DELETE_SNAPSHOT_DELAY, announced::add);
    }

    @Test
    void aDeletedMessagesContentLeavesTheFilesSoonAfterTheDelete() throws Exception {
        store = new JournalStore(dir, MAX_PER_USER, TTL, IDEMPOTENCY_TTL, JournalStore.MIN_COMPACT_BYTES,
                                 java.time.Duration.ofMillis(200), announced::add);
        // Not the contract's send(): its ids hold the text, and an id stays after a delete.
        MessageStore.Accepted secret = store.append(
                new com.matchbook.realtime.message.Draft("kit", "lou", "chat", "a photo caption only lou should see",
                                                         null, null),
                "secret-1", java.time.Instant.now(), 0, java.util.Optional.empty()).join();
        send("kit", "lou", "kept");
        assertTrue(fileContaining("only lou should see") != null, "the send is in the journal");
        store.update("kit", secret.id(), com.matchbook.realtime.message.Update.Action.DELETE,
                     java.util.Optional.empty(), java.util.Optional.empty(), java.time.Instant.now(), EDIT_WINDOW)
                .join();
        java.util.concurrent.atomic.AtomicReference<String> holding = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            com.matchbook.realtime.support.Eventually.holds("the deleted text gone from every file", () -> {
                holding.set(fileContaining("only lou should see"));
                return holding.get() == null;
            }, java.time.Duration.ofSeconds(10));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (still in " + holding.get() + ")", e);
        }
        store.close();
        store = open();
        assertTrue(store.since("lou", 0, 10).messages().getFirst().deleted());
        assertEquals("kept", store.since("lou", 0, 10).messages().get(1).text().orElseThrow());
    }

    /** The name of a file in the data directory holding {@code text}, or null. */
    private String fileContaining(String text) {
        byte[] wanted = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(p);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;   // deleted as we looked: an older generation
                }
                for (int i = 0; i + wanted.length <= bytes.length; i++) {
                    if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                        return p.getFileName().toString();
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTornTailLosesOnlyTheUnfinishedRecordAndNumberingGoesOn() throws IOException {
        store = open();
        send("kit", "lou", "one");
        send("kit", "lou", "two");
        store.close();
        Path file = journal();
        long whole = Files.size(file);
        send(List.of("three"));
        long withThree = Files.size(file);
        // A crash in the middle of writing "three": only part of its frame reached the disk.
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(whole + (withThree - whole) / 2);
        }

        store = open();
        assertEquals(List.of("one", "two"), texts("lou"));
        assertEquals(whole, Files.size(file), "the torn frame is cut off, so later records follow whole ones");
        assertEquals(3, send("kit", "lou", "three again").seq());
        store.close();
        store = open();
        assertEquals(List.of("one", "two", "three again"), texts("lou"));
    }

    @Test
    void aFrameWhoseChecksumFailsEndsTheReplay() throws IOException {
        store = open();
        send("max", "ned", "one");
        store.close();
        long whole = Files.size(journal());
        send(List.of("two"));
        byte[] bytes = Files.readAllBytes(journal());
        bytes[bytes.length - 1] ^= 0x5a;   // the last byte of "two"'s payload
        Files.write(journal(), bytes);

        store = open();
        assertEquals(List.of("one"), texts("ned"));
        assertEquals(whole, Files.size(journal()));
    }

    @Test
    void aSnapshotLeftHalfWrittenIsDroppedAndEveryJournalSinceTheLastWholeOneIsReplayed() throws IOException {
        send(List.of("one"));
        // What a crash in the middle of a snapshot leaves: the next generation's journal, already taking changes, and
        // its snapshot still under its temporary name.
        Files.writeString(dir.resolve("snapshot-0000000001.tmp"), "half a snapshot");
        Files.createFile(dir.resolve("journal-0000000001.log"));
        store = open();
        assertEquals(List.of("one"), texts("lou"));
        send("kit", "lou", "two");
        store.close();

        store = open();
        assertEquals(List.of("one", "two"), texts("lou"), "generation 0's journal, then generation 1's");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("journal-0000000000.log", "journal-0000000001.log"),
                         files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aDamagedJournalThatIsNotTheNewestStopsTheStartInsteadOfLosingWhatFollows() throws IOException {
        send(List.of("one", "two"));
        Files.createFile(dir.resolve("journal-0000000001.log"));
        store = open();
        send("kit", "lou", "three");
        store.close();
        Path older = dir.resolve("journal-0000000000.log");
        try (FileChannel c = FileChannel.open(older, StandardOpenOption.WRITE)) {
            c.truncate(Files.size(older) - 3);
        }
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                                                                                       this::open);
        assertTrue(refused.getMessage().contains("journal-0000000000.log"), refused.getMessage());
        store = null;
    }

    @Test
    void aFailedWriteIsNeitherAppliedNorAnnouncedAndTheStoreStopsTakingWrites() throws Exception {
        store = open();
        send("ivy", "jon", "kept");
        // The file goes away under the writer, as on a failing disk: the next write throws.
        java.lang.reflect.Field journal = JournalStore.class.getDeclaredField("journal");
        journal.setAccessible(true);
        java.lang.reflect.Field channel = JournalFile.class.getDeclaredField("channel");
        channel.setAccessible(true);
        ((FileChannel) channel.get(journal.get(store))).close();
        int announcedBefore = announced.size();

        java.util.concurrent.CompletionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, () -> send("ivy", "jon", "lost"));
        assertTrue(failed.getCause() instanceof StoreUnavailableException, failed.toString());
        assertEquals(List.of("kept"), texts("jon"), "nothing of the failed batch is readable");
        assertEquals(announcedBefore, announced.size(), "nor announced");
        assertTrue(!store.healthy(), "readiness goes down");
        java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class, () -> send("ivy", "jon", "later"));
        assertTrue(refused.getCause() instanceof StoreUnavailableException, refused.toString());
        store.close();

        store = open();
        assertEquals(List.of("kept"), texts("jon"), "a restart rereads what the journal holds");
        assertEquals(2, send("ivy", "jon", "after the restart").seq());
    }

    @Test
    void aCrashLeavesTheZeroedRoomAheadWhichReplaysAsTheEndOfTheRecordsWithoutAWarning() throws IOException {
        store = open();
        send("kit", "lou", "one");
        send("kit", "lou", "two");
        Path file = journal();
        long open = Files.size(file);
        store.close();
        long records = Files.size(file);
        assertTrue(open > records && open % JournalFile.ROOM_STEP == 0,
                   "room ahead while open (" + open + " bytes), cut at close (" + records + ")");
        // What a crash leaves: the records, then the zeros of the room ahead.
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.allocate((int) (open - records)), records);
        }

        try (LogLines warnings = LogLines.of(JournalFile.class, java.util.logging.Level.WARNING)) {
            store = open();
            assertEquals(List.of(), warnings.lines(), "a zero tail is not a torn one");
        }
        assertEquals(List.of("one", "two"), texts("lou"));
        assertEquals(3, send("kit", "lou", "three").seq());
        store.close();
        store = open();
        assertEquals(List.of("one", "two", "three"), texts("lou"));
    }

    @Test
    void aTornRecordInsideTheRoomIsCutWithWhatFollowsItAndWarnedAbout() throws IOException {
        send(List.of("one"));
        Path file = journal();
        long whole = Files.size(file);
        send(List.of("two", "three"));
        byte[] bytes = Files.readAllBytes(file);
        // What a crash can leave when the disk wrote a later page but not an earlier one: "two"'s bytes still the
        // room's zeros, "three"'s whole after them (here both were acknowledged; the rule is the same for any tail).
        int twoLength = java.nio.ByteBuffer.wrap(bytes, (int) whole, 4).getInt() + 8;
        java.util.Arrays.fill(bytes, (int) whole, (int) whole + twoLength, (byte) 0);
        byte[] crashed = java.util.Arrays.copyOf(bytes, bytes.length + JournalFile.ROOM_STEP);
        Files.write(file, crashed);

        try (LogLines warnings = LogLines.of(JournalFile.class, java.util.logging.Level.WARNING)) {
            store = open();
            assertEquals(1, warnings.lines().size(), warnings.lines().toString());
            assertTrue(warnings.lines().getFirst().contains("event=journal-torn-tail"), warnings.lines().toString());
        }
        assertEquals(List.of("one"), texts("lou"), "nothing after the first record that is not whole");
        assertEquals(whole, Files.size(file), "the whole record of \"three\" went with the tail");
        assertEquals(2, send("kit", "lou", "two again").seq());
        store.close();
        store = open();
        assertEquals(List.of("one", "two again"), texts("lou"));
    }

    @Test
    void aRotationLeavesTheOlderJournalEndingAtItsLastRecord() throws IOException {
        byte[] record = JournalRecord.confirm("lou", 7);
        try (JournalFile journal = JournalFile.open(dir, r -> { })) {
            journal.append(List.of(record));
            assertEquals(JournalFile.ROOM_STEP, Files.size(dir.resolve("journal-0000000000.log")), "room while open");
            journal.rotate();
            assertEquals(8 + record.length, Files.size(dir.resolve("journal-0000000000.log")),
                         "cut to its record before the next generation began");
        }
    }

    @Test
    void anOlderJournalEndingInZerosIsDamageNotRoomAndStopsTheStart() throws IOException {
        send(List.of("one", "two"));
        Path older = dir.resolve("journal-0000000000.log");
        try (FileChannel c = FileChannel.open(older, StandardOpenOption.WRITE)) {
            c.write(java.nio.ByteBuffer.allocate(4096), c.size());   // records zeroed by the disk, not room
        }
        Files.createFile(dir.resolve("journal-0000000001.log"));
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                                                                                       this::open);
        assertTrue(refused.getMessage().contains("journal-0000000000.log"), refused.getMessage());
        store = null;
    }

    /** Opens the store, has kit send each text to lou, closes it. */
    private void send(List<String> texts) {
        store = open();
        for (String t : texts) {
            send("kit", "lou", t);
        }
        store.close();
    }

    private List<String> texts(String user) {
        return store.since(user, 0, 100).messages().stream().map(m -> m.text().orElseThrow()).toList();
    }

    private Path journal() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
            assertEquals(1, logs.size(), "one generation: " + logs);
            assertTrue(Files.isRegularFile(logs.getFirst()));
            return logs.getFirst();
        }
    }
}
