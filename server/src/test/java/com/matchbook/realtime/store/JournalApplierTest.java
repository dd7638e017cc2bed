package com.matchbook.realtime.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's applier does not wait for a virtual thread's carrier: with every carrier held by a virtual thread
 * that computes without blocking (as parsing and encoding frames hold the node's one core in the benchmark), a change
 * is still written, applied, announced and answered. An applier on a virtual thread would wait for a free carrier.
 */
class JournalApplierTest {
    private static final long ANSWER_SECONDS = 10;

    @TempDir
    Path dir;

    @Test
    void aChangeIsAppliedAndAnsweredWhileEveryCarrierIsBusy() throws Exception {
        List<Message> announced = new CopyOnWriteArrayList<>();
        JournalStore store = new JournalStore(dir, 1000, Duration.ofDays(1), Duration.ofDays(1),
                                              JournalStore.MIN_COMPACT_BYTES, JournalStore.DELETE_SNAPSHOT_DELAY,
                                              announced::add);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        try {
            send(store, 1).get(ANSWER_SECONDS, TimeUnit.SECONDS);   // the store's threads are up and running

            // The scheduler's carriers: its parallelism, the number of processors unless set.
            int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                                              Runtime.getRuntime().availableProcessors());
            CountDownLatch running = new CountDownLatch(carriers);
            for (int i = 0; i < carriers; i++) {
                busy.add(Thread.ofVirtual().start(() -> {
                    running.countDown();
                    while (!stop.get()) {
                        Thread.onSpinWait();   // never parks, so never gives its carrier back
                    }
                }));
            }
            assertTrue(running.await(ANSWER_SECONDS, TimeUnit.SECONDS), "every carrier runs a busy virtual thread");

            MessageStore.Accepted accepted = send(store, 2).get(ANSWER_SECONDS, TimeUnit.SECONDS);

            assertEquals(2, accepted.seq(), "the change was applied to the stream");
            assertEquals(List.of("message 1", "message 2"),
                         store.since("lou", 0, 10).messages().stream().map(m -> m.text().orElseThrow()).toList());
            assertTrue(announced.stream().anyMatch(m -> m.seq() == 2 && m.user().equals("lou")),
                       "the recipient's copy was announced");
        } finally {
            stop.set(true);
            for (Thread thread : busy) {
                thread.join();
            }
            store.close();
        }
    }

    private static CompletableFuture<MessageStore.Accepted> send(JournalStore store, int n) {
        return store.append(new Draft("kit", "lou", "chat", "message " + n, null, null), "id-" + n, Instant.now(), 0,
                            Optional.empty());
    }
}
