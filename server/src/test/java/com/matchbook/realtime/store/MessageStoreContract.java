package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.support.Eventually;

import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store promises, run against each implementation. */
abstract class MessageStoreContract {
    protected static final int MAX_PER_USER = 5;
    protected static final Duration TTL = Duration.ofHours(1);

    protected final List<Message> announced = Collections.synchronizedList(new ArrayList<>());
    protected MessageStore store;

    /** A store with {@link #MAX_PER_USER} and {@link #TTL}, announcing to {@link #announced}. */
    abstract MessageStore open();

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected Message append(String to, String text) {
        return store.append(new Draft("sender", to, "chat", text, null, null), "id-" + to + "-" + text,
                            Instant.now(), System.nanoTime()).join();
    }

    @Test
    void seqStartsAtOneAndRisesByOnePerRecipient() {
        store = open();
        assertEquals(1, append("ann", "a1").seq());
        assertEquals(2, append("ann", "a2").seq());
        assertEquals(1, append("ben", "b1").seq());
        assertEquals(3, append("ann", "a3").seq());
    }

    @Test
    void everyMessageIsAnnouncedOnceBeforeItsFutureCompletes() {
        store = open();
        Message m = append("cat", "hello");
        assertEquals(List.of(m.id()), announced.stream().map(Message::id).toList());
    }

    @Test
    void sinceReturnsLaterMessagesInOrderWithinTheLimit() {
        store = open();
        for (int i = 1; i <= 4; i++) {
            append("dan", "m" + i);
        }
        MessageStore.Slice slice = store.since("dan", 1, 2);
        assertEquals(List.of(2L, 3L), slice.messages().stream().map(Message::seq).toList());
        assertEquals("m2", slice.messages().getFirst().text().orElseThrow());
        assertEquals(4, slice.lastSeq());
        assertEquals(1, slice.firstSeq());
        assertTrue(slice.completeAfter(0));
        assertEquals(List.of(), store.since("dan", 4, 10).messages());
        MessageStore.Slice nobody = store.since("nobody", 0, 10);
        assertEquals(0, nobody.lastSeq());
        assertTrue(nobody.completeAfter(0));
    }

    @Test
    void historyKeepsTheNewestMaxPerUser() {
        store = open();
        for (int i = 1; i <= MAX_PER_USER + 2; i++) {
            append("eve", "m" + i);
        }
        MessageStore.Slice slice = eventuallySlice("eve", MAX_PER_USER);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), slice.messages().stream().map(Message::seq).toList());
        assertFalse(slice.completeAfter(0), "seq 1 is gone: a replay from 0 is incomplete");
        assertFalse(slice.completeAfter(1));
        assertTrue(slice.completeAfter(2), "seq 3 is still there");
        assertEquals(8, append("eve", "m8").seq(), "trimming never makes a seq come back");
    }

    @Test
    void trimDropsWhatIsOlderThanTheTtl() {
        store = open();
        append("fay", "old");
        store.trim(Instant.now().plus(TTL).plusSeconds(1));
        MessageStore.Slice slice = eventuallySlice("fay", 0);
        assertEquals(1, slice.lastSeq());
        assertFalse(slice.completeAfter(0));
        assertEquals(2, append("fay", "new").seq());
    }

    @Test
    void messagesKeepEveryField() {
        store = open();
        Instant sent = Instant.parse("2026-11-26T10:15:30.123456Z");
        byte[] payload = {0, 1, 2, (byte) 255};
        Message stored = store.append(new Draft("gus", "hal", "files", null,
                                                Json.createObjectBuilder().add("k", 1).build(),
                                                new Attachment("a.bin", "application/x-test", payload)),
                                      "file-id", sent, 0).join();
        Message read = store.since("hal", 0, 10).messages().getFirst();
        assertEquals(stored.id(), read.id());
        assertEquals("gus", read.from());
        assertEquals("hal", read.to());
        assertEquals("files", read.channel());
        assertEquals(sent, read.sentAt());
        assertEquals(1, read.data().orElseThrow().asJsonObject().getInt("k"));
        assertEquals("a.bin", read.attachment().orElseThrow().name());
        assertArrayEquals(payload, read.attachment().orElseThrow().bytes());
        assertEquals("file-id", store.find("hal", "file-id").orElseThrow().id());
        assertTrue(store.find("hal", "no-such-id").isEmpty());
        assertTrue(store.find("someone-else", "file-id").isEmpty(), "history is per user");
    }

    @Test
    void confirmedOnlyRisesAndNeverPassesLastSeq() {
        store = open();
        append("ida", "1");
        append("ida", "2");
        assertEquals(0, store.confirmed("ida"));
        assertEquals(0L, store.confirm("ida", 1).orElseThrow());
        assertTrue(store.confirm("ida", 1).isEmpty(), "same seq: nothing changes");
        assertTrue(store.confirm("ida", 0).isEmpty(), "never lowered");
        assertEquals(1L, store.confirm("ida", 99).orElseThrow());
        assertEquals(2, store.confirmed("ida"), "capped at lastSeq");
    }

    @Test
    void concurrentSendersGetUniqueGapFreeSeqsAnnouncedInOrder() throws Exception {
        store = open();
        int threads = 8;
        int each = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<Message>> all = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; i < each; i++) {
                    all.add(store.append(new Draft("s" + thread, "jon", "chat", thread + ":" + i, null, null),
                                         "c-" + thread + "-" + i, Instant.now(), 0));
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        List<Long> seqs = all.stream().map(f -> f.join().seq()).sorted().toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i));
        }
        List<Long> order = announced.stream().map(Message::seq).toList();
        for (int i = 1; i < order.size(); i++) {
            assertTrue(order.get(i) > order.get(i - 1), "announced out of order at " + i);
        }
    }

    /** Trimming may run behind the write (disk store): wait for it with a deadline, and fail when it passes. */
    private MessageStore.Slice eventuallySlice(String user, int size) {
        return Eventually.value(user + "'s history holds " + size + " messages", () -> store.since(user, 0, 100),
                                s -> s.messages().size() == size);
    }
}
