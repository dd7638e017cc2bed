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
 * The journal's gap between syncs ({@link JournalStore#MIN_SYNC_GAP}): changes that come while the writer waits out
 * the gap share one sync, a change after a quiet spell is not held, and a close ends the wait. The gaps here are
 * seconds or minutes, so each is far longer than anything else the test waits for.
 */
class JournalSyncGapTest {
    private static final Duration LONG_GAP = Duration.ofSeconds(3);

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
        long before = store.syncs();

        CompletableFuture<MessageStore.Accepted> first = send();
        waitUntilTheWriterHasTaken();   // it now waits out the gap holding this change alone
        List<CompletableFuture<MessageStore.Accepted>> more = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            more.add(send());
        }
        first.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<MessageStore.Accepted> f : more) {
            f.get(10, TimeUnit.SECONDS);
        }

        assertEquals(before + 1, store.syncs(), "the ten changes went out in one sync");
        assertEquals(11, store.since("lou", 0, 100).messages().size(), "every change is in the stream, in order");
    }

    @Test
    void aChangeAfterAQuietSpellIsNotHeld() throws Exception {
        Duration gap = Duration.ofSeconds(2);
        store = open(gap);
        assertNotHeld(send(), gap);   // a store's first change: no sync before it to wait for
        long quietFrom = System.nanoTime();
        while (System.nanoTime() - quietFrom < gap.toNanos() * 5 / 4) {
            Thread.sleep(50);   // the quiet spell itself, longer than the gap
        }
        assertNotHeld(send(), gap);
        assertEquals(2, store.syncs());
    }

    @Test
    void aCloseEndsTheWaitAndTheWaitingChangeIsStillWritten() throws Exception {
        store = open(Duration.ofMinutes(10));
        send().get(30, TimeUnit.SECONDS);
        CompletableFuture<MessageStore.Accepted> waiting = send();
        waitUntilTheWriterHasTaken();

        long closing = System.nanoTime();
        store.close();
        assertTrue(System.nanoTime() - closing < TimeUnit.MINUTES.toNanos(1), "close did not wait out the gap");
        assertTrue(waiting.isDone(), "the waiting change has its outcome");
        assertEquals(2, waiting.get().seq(), "and it was written before the stop");

        store = open(Duration.ZERO);
        assertEquals(2, store.since("lou", 0, 100).messages().size(), "both changes are in the journal");
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

    /** Waits until the writer has taken every queued change (it then holds them, waiting out the gap). */
    private void waitUntilTheWriterHasTaken() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.queued() > 0) {
            assertTrue(System.nanoTime() < deadline, "the writer took the change");
            Thread.sleep(1);
        }
    }
}
