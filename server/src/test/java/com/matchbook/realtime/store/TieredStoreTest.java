package com.matchbook.realtime.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiered store: the whole contract with every entry moved to the archive as soon as each write is answered (so
 * every read crosses from memory to the archive), reads while the mover runs, and the archive's repair at start.
 */
class TieredStoreTest extends DurableStoreContract {
    @TempDir
    Path dir;

    @Override
    MessageStore open() {
        return new TieredStore(dir, MAX_PER_USER, TTL, IDEMPOTENCY_TTL, Duration.ZERO, 1L << 30,
                               TieredStore.Moves.AFTER_WRITES,
                               announced::add);
    }

    /** A store with a day's hot window whose mover runs only when a test asks ({@link TieredStore.Moves#ON_DEMAND}). */
    private TieredStore openOnDemand() {
        return new TieredStore(dir, 100_000, TTL, IDEMPOTENCY_TTL, Duration.ofDays(1), 1L << 30,
                               TieredStore.Moves.ON_DEMAND, announced::add);
    }

    private TieredStore openLarge() {
        return new TieredStore(dir, 100_000, TTL, IDEMPOTENCY_TTL, Duration.ofDays(1), 1L << 30,
                               TieredStore.Moves.SCHEDULED,
                               announced::add);
    }

    @Test
    void replaysHistoryAndConversationPagesStayWholeWhileTheMoverRuns() throws Exception {
        TieredStore tiered = openLarge();
        store = tiered;
        String[] users = {"ana", "bo", "cy"};
        int sends = 1_500;
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> mover = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                tiered.moveNow(Instant.MAX);
            }
        });
        List<String> problems = new ArrayList<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                for (String user : users) {
                    // A replay as a client reads it, page by page: each page may cross from the archive to memory.
                    MessageStore.Slice slice = store.since(user, 0, 7);
                    long expected = slice.firstSeq();
                    while (true) {
                        for (Message m : slice.messages()) {
                            if (m.seq() != expected++) {
                                problems.add(user + ": seq " + m.seq() + " where " + (expected - 1) + " was due");
                                return;
                            }
                        }
                        if (slice.messages().isEmpty()) {
                            break;
                        }
                        slice = store.since(user, expected - 1, 7);
                    }
                    if (expected != slice.lastSeq() + 1) {
                        problems.add(user + ": replay ends at " + (expected - 1) + ", last seq " + slice.lastSeq());
                        return;
                    }
                    List<Message> paged = new ArrayList<>();
                    long before = Long.MAX_VALUE;
                    MessageStore.Page page;
                    do {
                        page = store.conversation(user, "ana".equals(user) ? "bo" : "ana", before, 37);
                        paged.addAll(0, page.messages());
                        before = page.messages().isEmpty() ? 0 : page.messages().getFirst().seq();
                    } while (page.more());
                    for (int i = 1; i < paged.size(); i++) {
                        if (paged.get(i).seq() <= paged.get(i - 1).seq()) {
                            problems.add(user + ": pages out of order at " + paged.get(i).seq());
                            return;
                        }
                    }
                }
            }
        });
        for (int i = 0; i < sends; i++) {
            String from = users[i % 3];
            String to = users[(i + 1) % 3];
            send(from, to, "m" + i);
        }
        done.set(true);
        mover.get();
        reader.get();
        assertEquals(List.of(), problems);
        tiered.moveNow(Instant.MAX);
        for (String user : users) {
            MessageStore.Slice all = store.since(user, 0, Integer.MAX_VALUE);
            assertEquals(1, all.firstSeq());
            assertEquals(1_000, all.messages().size(), "each user sent 500 and received 500");
            for (Message m : all.messages()) {
                assertEquals(m.seq(), all.messages().indexOf(m) + 1L);
            }
        }
    }

    @Test
    void aReadDuringAMoveSeesEveryEntryOnce() {
        TieredStore tiered = openLarge();
        store = tiered;
        for (int i = 0; i < 6; i++) {
            send("kit", "lou", "m" + i);
        }
        store.markRead("lou", "id-kit-lou-m1");
        // Each read below is overtaken by a move after it noted where memory begins, then reads again.
        java.util.concurrent.atomic.AtomicInteger moves = new java.util.concurrent.atomic.AtomicInteger();
        tiered.betweenBoundsAndRead = () -> {
            if (moves.getAndIncrement() == 0) {
                tiered.moveNow(Instant.MAX);
            }
        };
        assertEquals(List.of(3L, 4L, 5L), seqs(store.since("lou", 2, 3).messages()), "replay");
        moves.set(0);
        send("kit", "lou", "m6");
        assertEquals(List.of(5L, 6L, 7L), seqs(store.conversation("lou", "kit", Long.MAX_VALUE, 3).messages()),
                     "newest page");
        moves.set(0);
        send("kit", "lou", "m7");
        assertEquals(6, store.conversations("lou", 5).getFirst().unread(), "unread after m1, counted once");
        moves.set(0);
        send("kit", "lou", "m8");
        assertEquals("m8", store.find("lou", "id-kit-lou-m8").orElseThrow().text().orElseThrow(), "find");
        tiered.betweenBoundsAndRead = null;
        assertTrue(moves.get() > 1, "the reads ran again after the move");
    }

    @Test
    void aTrimBetweenTheArchiveReadsOfAReplayLeavesItClaimingNothingTheTrimTook() {
        TieredStore tiered = new TieredStore(dir, MAX_PER_USER, TTL, IDEMPOTENCY_TTL, Duration.ZERO, 1L << 30,
                                             TieredStore.Moves.ON_DEMAND, announced::add);
        store = tiered;
        send("kit", "lou", "m1");
        send("kit", "lou", "m2");
        tiered.moveNow(Instant.MAX);
        java.util.concurrent.atomic.AtomicInteger trims = new java.util.concurrent.atomic.AtomicInteger();
        tiered.betweenArchiveReads = () -> {
            if (trims.getAndIncrement() == 0) {
                tiered.trim(Instant.now().plus(TTL).plusSeconds(1));
                tiered.passNow();   // after the trim's archive work, on the same mover
            }
        };
        MessageStore.Slice replay = store.since("lou", 0, 10);
        tiered.betweenArchiveReads = null;
        assertEquals(1, trims.get(), "the trim ran between the reads");
        assertEquals(List.of(), replay.messages(), "what the trim took is not in the replay");
        assertEquals(2, replay.lastSeq());
        assertTrue(!replay.completeAfter(0), "and the replay says history after 0 is incomplete");
    }

    @Test
    void aFailingMoverMakesTheNodeNotReadyOnlyWhileMemoryIsOverItsBudget() {
        for (long budget : new long[] {1L << 30, 1}) {
            java.nio.file.Path own = dir.resolve("budget-" + budget);
            TieredStore tiered = new TieredStore(own, 100_000, TTL, IDEMPOTENCY_TTL, Duration.ZERO, budget,
                                                 TieredStore.Moves.ON_DEMAND, announced::add);
            store = tiered;
            for (int i = 0; i < 5; i++) {
                send("kit", "lou", "m" + i);
            }
            tiered.beforeArchiveWrite = () -> {
                throw new IllegalStateException("disk full (test)");
            };
            tiered.passNow();
            boolean over = budget == 1;
            assertEquals(!over, store.healthy(), "ready with the mover failing, budget " + budget);
            assertEquals(1, meter(tiered, "matchbook.archive.move.failures"), "failed passes counted");
            assertEquals(0, meter(tiered, "matchbook.archive.moved.entries"), "nothing moved");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(store.since("lou", 0, 10).messages()),
                         "what was accepted stays readable");

            tiered.beforeArchiveWrite = null;
            tiered.passNow();
            assertTrue(store.healthy(), "ready again once a pass succeeds");
            assertEquals(10, meter(tiered, "matchbook.archive.moved.entries"), "both streams' entries moved");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(store.since("lou", 0, 10).messages()),
                         "the same history, now from the archive");
            store.close();
            store = null;
        }
    }

    @Test
    void aPacedMoveWritesTheArchiveAtTheLowestPriorityAndAnUrgentOneOnTheMoverItself() {
        org.junit.jupiter.api.Assumptions.assumeTrue(BackgroundPriorityTest.lowerable(),
                                                     "Linux with renice, the tests not already at nice 19");
        for (long budget : new long[] {1L << 30, 1}) {
            TieredStore tiered = new TieredStore(dir.resolve("priority-" + budget), 100_000, TTL, IDEMPOTENCY_TTL,
                                                 Duration.ZERO, budget, TieredStore.Moves.ON_DEMAND, announced::add);
            store = tiered;
            send("kit", "lou", "m1");
            List<String> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
            tiered.beforeArchiveWrite = () -> writers.add(Thread.currentThread().getName() + " nice "
                                                              + BackgroundPriorityTest.niceOfThisThread());
            tiered.passNow();
            String expected = budget == 1
                    ? "matchbook-archive-mover nice " + BackgroundPriorityTest.niceOfThisThread()   // over budget: urgent
                    : "matchbook-archive-writer nice " + BackgroundPriority.NICE;
            assertEquals(List.of(expected), writers, "the archive transaction's thread, budget " + budget);
            assertEquals(List.of(1L), seqs(store.since("lou", 0, 10).messages()), "moved and readable");
            store.close();
            store = null;
        }
    }

    @Test
    void aPacedPassMovesEveryEntryAcrossSeveralTransactions() {
        TieredStore tiered = new TieredStore(dir, 100_000, TTL, IDEMPOTENCY_TTL, Duration.ZERO, 1L << 30,
                                             TieredStore.Moves.ON_DEMAND, announced::add);
        store = tiered;
        int messages = 1_500;   // 3,000 entries: three transactions of a paced pass, with rests between
        for (int i = 0; i < messages; i++) {
            send("kit", "lou", "m" + i);
        }
        java.util.concurrent.atomic.AtomicInteger transactions = new java.util.concurrent.atomic.AtomicInteger();
        tiered.beforeArchiveWrite = transactions::incrementAndGet;
        tiered.passNow();
        assertEquals(3, transactions.get(), "a paced pass writes 1,000 entries per transaction");
        assertEquals(2L * messages, meter(tiered, "matchbook.archive.moved.entries"), "both streams, every entry");
        List<Message> replay = new ArrayList<>();
        long after = 0;
        MessageStore.Slice page;
        while (!(page = store.since("lou", after, 500)).messages().isEmpty()) {
            replay.addAll(page.messages());
            after = page.messages().getLast().seq();
        }
        assertEquals(messages, replay.size(), "the whole history, from the archive");
        for (int i = 0; i < messages; i++) {
            assertEquals(i + 1, replay.get(i).seq());
            assertEquals("m" + i, replay.get(i).text().orElseThrow());
        }
    }

    private static long meter(MessageStore store, String name) {
        return store.meters().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow()
                    .value().getAsLong();
    }

    @Test
    void aDiskStoresDataDirectoryCarriesOnWithEverySeqCursorMarkerKeyAndBlock() {
        SqliteStore disk = new SqliteStore(dir, 100_000, TTL, IDEMPOTENCY_TTL, m -> { });
        store = disk;
        send("kit", "lou", "one");
        MessageStore.Accepted two = send("kit", "lou", "two");
        send("lou", "kit", "three");
        MessageStore.Accepted keyed = store.append(new Draft("kit", "lou", "chat", "four", null, null), "m-4",
                                                   Instant.now(), 0,
                                                   Optional.of(new MessageStore.SendKey("k-4", "f-4"))).join();
        store.markRead("lou", two.id());
        store.confirm("lou", 3);
        store.block("lou", "spam").join();
        List<Message> before = store.since("lou", 0, 100).messages();
        store.close();

        store = openLarge();
        assertEquals(seqs(before), seqs(store.since("lou", 0, 100).messages()), "lou's stream, as it was");
        assertEquals("two", store.since("lou", 1, 1).messages().getFirst().text().orElseThrow());
        assertEquals(3, store.confirmed("lou"));
        assertTrue(store.blockedEither("spam", "lou"));
        assertEquals(1, store.conversations("lou", 5).getFirst().unread(), "only four is after the marker");
        MessageStore.Accepted repeat = store.append(new Draft("kit", "lou", "chat", "four", null, null), "m-4b",
                                                    Instant.now(), 0,
                                                    Optional.of(new MessageStore.SendKey("k-4", "f-4"))).join();
        assertTrue(repeat.repeat());
        assertEquals(keyed.seq(), repeat.seq());
        assertEquals(before.getLast().seq() + 1, send("kit", "lou", "five").seq(), "no seq given twice");
        store.close();
        store = openLarge();
        assertEquals(before.size() + 1, store.since("lou", 0, 100).messages().size(), "imported once, kept");
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::seq).toList();
    }

    @Test
    void aDeleteJournaledButNotYetInTheArchiveIsRedoneThereAtStart() throws Exception {
        TieredStore tiered = openLarge();
        store = tiered;
        store.append(new Draft("kit", "lou", "chat", "meet at noon", null, null), "m-1", Instant.now(), 0,
                     Optional.empty()).join();
        tiered.moveNow(Instant.MAX);
        Message archived = store.find("kit", "m-1").orElseThrow();
        store.close();
        // The journal gets the delete, the archive does not: what a crash between the two leaves.
        JournalStore journal = new JournalStore(dir, 100_000, TTL, IDEMPOTENCY_TTL, announced::add);
        journal.updateArchived(archived, Update.Action.DELETE, Optional.empty(), Optional.empty(), Instant.now(),
                               EDIT_WINDOW).join();
        journal.close();
        store = openLarge();
        assertEquals(List.of(), archivedTexts("m-1"), "the deleted text is gone from the archive's file at start");
        assertTrue(store.find("lou", "m-1").orElseThrow().deleted(), "the recipient's archived copy");
        assertTrue(store.find("kit", "m-1").orElseThrow().deleted(), "the sender's archived copy");
        assertFalse(store.find("lou", "m-1").orElseThrow().text().isPresent());
        List<Message> lou = store.since("lou", 0, 10).messages();
        assertEquals(2, lou.size(), "the message and the delete entry");
        assertTrue(lou.get(1).update().isPresent());
    }

    @Test
    void theArchiveIsOpenedByTheFirstReadOrMoveThatNeedsItNotAtStart() throws Exception {
        TieredStore tiered = openOnDemand();
        store = tiered;
        send("kit", "lou", "hello");
        assertEquals(List.of(1L), seqs(store.since("lou", 0, 10).messages()));
        assertFalse(tiered.archiveOpen(), "a send and a read of what memory holds leave SQLite closed");
        assertEquals(0, java.nio.file.Files.size(dir.resolve(SqliteArchive.FILE)),
                     "the file is there, empty: it marks the directory as the tiered store's");
        store.update("kit", "id-kit-lou-hello", Update.Action.EDIT, Optional.of("hello!"), Optional.empty(),
                     Instant.now(), EDIT_WINDOW).join();
        store.close();

        tiered = openOnDemand();
        store = tiered;
        assertFalse(tiered.archiveOpen(), "the replayed edit is of a message memory holds: nothing to redo there");
        assertEquals(List.of(1L, 2L), seqs(store.since("lou", 0, 10).messages()), "the message and its edit");
        assertEquals("hello!", store.find("lou", "id-kit-lou-hello").orElseThrow().text().orElseThrow());
        store.update("kit", "id-kit-lou-hello", Update.Action.EDIT, Optional.of("hello again"), Optional.empty(),
                     Instant.now(), EDIT_WINDOW).join();
        tiered.trim(Instant.now());   // the first trim, a second after start
        tiered.moveNow(Instant.EPOCH);   // waits for the edit's and the trim's work on the mover, moves nothing
        assertFalse(tiered.archiveOpen(), "nor do the reads, an edit of a message memory holds, or the first trim");
        tiered.passNow();
        assertFalse(tiered.archiveOpen(), "nor a mover's pass, while the file is empty and nothing is old enough");
        tiered.moveNow(Instant.MAX);
        assertTrue(tiered.archiveOpen(), "the first move does");
        assertTrue(archivedTexts("id-kit-lou-hello").contains("hello again"), "and writes there");
    }

    @Test
    void theFirstPassOpensAnArchiveThatHoldsHistory() throws Exception {
        TieredStore tiered = restartedWithOneArchivedMessage();
        assertFalse(tiered.archiveOpen(), "not at start");
        tiered.passNow();
        assertTrue(tiered.archiveOpen(), "its expired history must be dropped without waiting for a read");
    }

    @Test
    void aDamagedArchiveFailsOnlyTheReadsThatReachItAndTheMoverSaysSo() throws Exception {
        TieredStore tiered = openLarge();
        store = tiered;
        send("kit", "lou", "archived");
        tiered.moveNow(Instant.MAX);
        send("kit", "lou", "recent");
        store.close();
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            java.nio.file.Files.deleteIfExists(dir.resolve(SqliteArchive.FILE + suffix));
        }
        java.nio.file.Files.writeString(dir.resolve(SqliteArchive.FILE), "not a database ".repeat(300));

        tiered = openOnDemand();
        store = tiered;
        send("kit", "lou", "after the restart");
        assertEquals(3, store.find("lou", "id-kit-lou-after the restart").orElseThrow().seq(),
                     "sends go on, numbered on");
        send("ann", "bob", "hi");
        assertEquals(List.of(1L), seqs(store.since("bob", 0, 10).messages()), "a stream with nothing archived");
        assertThrows(StoreUnavailableException.class, () -> store.since("lou", 0, 10),
                     "a stream with archived entries: the store is unavailable, never a partial history");
        tiered.passNow();
        assertEquals(1, meter(tiered, "matchbook.archive.move.failures"), "the mover's failed pass is counted");
        assertTrue(store.healthy(), "ready while memory is under its budget");
    }

    @Test
    void aTrimThatCameBeforeTheArchiveOpenedRunsOnceItOpens() throws Exception {
        TieredStore tiered = restartedWithOneArchivedMessage();
        Instant expired = Instant.now().plus(TTL).plusSeconds(1);
        tiered.trim(expired);   // a second after start, before anything opened the archive
        assertFalse(tiered.archiveOpen());
        tiered.passNow();       // the mover's first pass opens it, and the skipped trim follows
        tiered.moveNow(Instant.EPOCH);   // waits for it on the mover
        assertEquals(List.of(), archivedTexts("id-kit-lou-old"), "the expired message left the archive's file");
        assertEquals(List.of(), store.since("lou", 0, 10).messages(), "and no replay shows it");
    }

    /** A store (set as {@link #store}) started again on a directory whose archive holds kit's "old" to lou. */
    private TieredStore restartedWithOneArchivedMessage() {
        TieredStore tiered = openOnDemand();
        store = tiered;
        send("kit", "lou", "old");
        tiered.moveNow(Instant.MAX);
        store.close();
        tiered = openOnDemand();
        store = tiered;
        return tiered;
    }

    /** The texts of the archive's rows of this message, read from the file directly (one per stream). */
    private List<String> archivedTexts(String id) throws java.sql.SQLException {
        List<String> texts = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:sqlite:" + dir.resolve(SqliteArchive.FILE));
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT text FROM messages WHERE id = ?")) {
            ps.setString(1, id);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1) != null) {
                        texts.add(rs.getString(1));
                    }
                }
            }
        }
        return texts;
    }

    @Test
    void updatesOfAnArchivedCopyThatPredatesADeleteSeeTheDelete() {
        TieredStore tiered = openLarge();
        store = tiered;
        store.append(new Draft("kit", "lou", "chat", "meet at noon", null, null), "m-1", Instant.now(), 0,
                     Optional.empty()).join();
        tiered.moveNow(Instant.MAX);
        Message stale = store.find("kit", "m-1").orElseThrow();
        store.close();
        // The archive is not rewritten here (no mover): every update below starts from the copy from before the delete.
        JournalStore journal = new JournalStore(dir, 100_000, TTL, IDEMPOTENCY_TTL, announced::add);
        store = journal;
        journal.updateArchived(stale, Update.Action.DELETE, Optional.empty(), Optional.empty(), Instant.now(),
                               EDIT_WINDOW).join();
        assertTrue(journal.updateArchived(stale, Update.Action.DELETE, Optional.empty(), Optional.empty(),
                                          Instant.now(), EDIT_WINDOW).join().deleted());
        assertEquals(StoreRefusal.NOT_FOUND, refusal(journal.updateArchived(
                stale, Update.Action.EDIT, Optional.of("back again"), Optional.empty(), Instant.now(), EDIT_WINDOW))
                .code());
        assertEquals(1, journal.since("lou", 0, 10).messages().size(), "one delete entry, no second, no edit");
    }

    @Test
    void anEditOfAMovedMessageReachesEveryCopyAndItsUnreadCountCrossesTiers() {
        TieredStore tiered = openLarge();
        store = tiered;
        MessageStore.Accepted first = send("kit", "lou", "one");
        send("kit", "lou", "two");
        tiered.moveNow(Instant.MAX);
        send("kit", "lou", "three");
        assertEquals(3, store.conversations("lou", 10).getFirst().unread(), "two archived, one in memory");
        Message edited = store.update("kit", first.id(), Update.Action.EDIT, Optional.of("one, edited"),
                                      Optional.empty(), Instant.now(), EDIT_WINDOW).join();
        assertEquals("one, edited", edited.text().orElseThrow());
        assertEquals("one, edited", store.find("lou", first.id()).orElseThrow().text().orElseThrow());
        assertEquals("one, edited", store.since("kit", 0, 1).messages().getFirst().text().orElseThrow());
        store.markRead("lou", first.id());
        assertEquals(2, store.conversations("lou", 10).getFirst().unread());
        store.close();
        store = openLarge();
        assertEquals(2, store.conversations("lou", 10).getFirst().unread(), "the marker survives a restart");
        assertEquals("one, edited", store.find("lou", first.id()).orElseThrow().text().orElseThrow());
    }
}
