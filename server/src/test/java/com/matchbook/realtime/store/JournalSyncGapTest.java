package com.matchbook.realtime.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.message.Draft;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's gaps between syncs ({@link JournalStore#SHORT_SYNC_GAP}, {@link JournalStore#MIN_SYNC_GAP}): under
 * load, changes that come while the writer waits out the gap share one sync; a sender that waits for each answer is
 * never held; a change after a quiet spell is not held; a close ends the wait; and the long gap applies only from the
 * busy rate on ({@link JournalStore#BUSY_CHANGES_PER_SECOND}), the short one below it. The gaps here are hundreds of
 * milliseconds to minutes, far longer than the few sends each test makes while the writer waits.
 */
class JournalSyncGapTest {
    private static final Duration LONG_GAP = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private JournalStore store;
    private int sent;

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void changesThatArriveDuringTheGapShareOneSync() throws Exception {
        store = open(LONG_GAP);
        send().get(10, TimeUnit.SECONDS);   // the first sync: the gap starts from it
        List<CompletableFuture<MessageStore.Accepted>> changes = loadUntilTheWriterGathers();
        long before = store.syncs();   // the writer holds its batch: no sync until the gap is out
        for (int i = 0; i < 9; i++) {
            changes.add(send());
        }
        for (CompletableFuture<MessageStore.Accepted> change : changes) {
            change.get(30, TimeUnit.SECONDS);
        }

        assertEquals(before + 1, store.syncs(), "what the writer held and what came meanwhile went out in one sync");
        List<String> texts = store.since("lou", 0, 1000).messages().stream()
                                  .map(m -> m.text().orElseThrow()).toList();
        assertEquals(sent, texts.size(), "every change is in the stream");
        for (int i = 0; i < sent; i++) {
            assertEquals("message " + (i + 1), texts.get(i), "in the order sent");
        }
    }

    @Test
    void aSenderThatWaitsForEachAnswerIsNotHeld() throws Exception {
        store = open(LONG_GAP);
        for (int i = 0; i < 5; i++) {
            assertNotHeld(send(), LONG_GAP);   // each comes after the previous sync's answer, so never during a sync
        }
        assertEquals(5, store.syncs());
    }

    @Test
    void aChangeAfterAQuietSpellIsNotHeld() throws Exception {
        Duration gap = Duration.ofSeconds(2);
        store = open(gap);
        send().get(10, TimeUnit.SECONDS);
        for (CompletableFuture<MessageStore.Accepted> change : loadUntilTheWriterGathers()) {
            change.get(30, TimeUnit.SECONDS);   // the last sync carried several changes: the writer is under load
        }
        long quietFrom = System.nanoTime();
        while (System.nanoTime() - quietFrom < gap.toNanos() * 5 / 4) {
            Thread.sleep(50);   // the quiet spell itself, longer than the gap
        }
        assertNotHeld(send(), gap);
    }

    @Test
    void aCloseEndsTheWaitAndTheWaitingChangesAreStillWritten() throws Exception {
        store = open(Duration.ofMinutes(10));
        send().get(30, TimeUnit.SECONDS);
        List<CompletableFuture<MessageStore.Accepted>> waiting = loadUntilTheWriterGathers();

        long closing = System.nanoTime();
        store.close();
        // Well under the close's own limits (the writer's 10 s and the applier's 5 s), so a missed wake-up shows.
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(5), "close did not wait out the gap");
        for (CompletableFuture<MessageStore.Accepted> change : waiting) {
            assertTrue(change.isDone(), "each waiting change has its outcome");
            change.get();   // written before the stop, not failed
        }

        store = open(Duration.ZERO);
        assertEquals(sent, store.since("lou", 0, 1000).messages().size(), "every change is in the journal");
    }

    @Test
    void belowTheBusyRateTheWriterWaitsTheShortGapNotTheLongOne() throws Exception {
        Duration shortGap = Duration.ofMillis(300);
        Duration longGap = Duration.ofMinutes(10);
        store = open(longGap);
        store.syncGaps(shortGap, longGap, 1_000_000);   // pairs every 5 ms come nowhere near a million a second
        send().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<MessageStore.Accepted>> changes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changes.add(send());
            changes.add(send());
            Thread.sleep(5);   // the senders' pace between pairs
        }
        for (CompletableFuture<MessageStore.Accepted> change : changes) {
            change.get(30, TimeUnit.SECONDS);   // far less than the long gap: it was never waited out
        }
        assertTrue(store.gathers() >= 1, "under load below the busy rate, the writer still waits the short gap");
        assertEquals(sent, store.since("lou", 0, 1000).messages().size(), "every change is in the stream");
    }

    @Test
    void fromTheBusyRateTheWriterWaitsTheLongGap() throws Exception {
        store = open(LONG_GAP);
        store.syncGaps(Duration.ZERO, LONG_GAP, 10);   // ten changes a second is busy here
        send().get(10, TimeUnit.SECONDS);
        List<CompletableFuture<MessageStore.Accepted>> waiting = loadUntilTheWriterGathers();
        assertTrue(store.gathers() >= 1, "the writer waits out the long gap");

        store.close();   // ends the wait; the held changes are still written
        for (CompletableFuture<MessageStore.Accepted> change : waiting) {
            change.get(30, TimeUnit.SECONDS);
        }
        store = open(Duration.ZERO);
        assertEquals(sent, store.since("lou", 0, 1000).messages().size(), "every change is in the journal");
    }

    /** The change is synced in less than the gap: the writer did not hold it. */
    private static void assertNotHeld(CompletableFuture<MessageStore.Accepted> change, Duration gap) throws Exception {
        long started = System.nanoTime();
        change.get(30, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - started < gap.toNanos(), "synced without waiting out the gap");
    }

    private JournalStore open(Duration gap) {
        JournalStore opened = new JournalStore(dir, 1000, Duration.ofDays(1), Duration.ofDays(1),
                                               JournalStore.MIN_COMPACT_BYTES, JournalStore.DELETE_SNAPSHOT_DELAY,
                                               entry -> { });
        opened.minSyncGap(gap);
        return opened;
    }

    private CompletableFuture<MessageStore.Accepted> send() {
        int n = ++sent;
        return store.append(new Draft("kit", "lou", "chat", "message " + n, null, null), "id-" + n, Instant.now(), 0,
                            Optional.empty());
    }

    /**
     * Sends changes two at a time (so either one sync carries both or the second arrives during the sync: load, as
     * the writer judges it) until the writer waits out the gap holding a batch, then two more, which it takes into
     * that batch, so the sync that follows carries several changes.
     *
     * @return every change sent here, in order
     */
    private List<CompletableFuture<MessageStore.Accepted>> loadUntilTheWriterGathers() throws InterruptedException {
        List<CompletableFuture<MessageStore.Accepted>> changes = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!store.gathering()) {
            assertTrue(System.nanoTime() < deadline, "the writer waits out the gap under load");
            changes.add(send());
            changes.add(send());
            Thread.sleep(5);   // the senders' pace between pairs, not a wait: the loop checks gathering() each time
        }
        changes.add(send());
        changes.add(send());
        return changes;
    }
}
