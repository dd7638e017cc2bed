package com.matchbook.realtime.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.support.RedisClusterServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClusterClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that dies between the two steps of a cross-slot write ({@link RedisClusterScripts}) is played by running
 * step 1 alone, as that node would have before its crash: the recipient's copy is then owed, and the sender's retry
 * with the same key, or the repair sweep, finishes it exactly once.
 */
class RedisClusterRepairTest {
    private static final Duration TTL = Duration.ofHours(1);
    private static RedisClusterServer cluster;
    private RedisClusterClient client;
    private RedisStore store;
    private String ann;
    private String bob;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new RedisClusterServer().start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void open() {
        cluster.flushAll();
        client = RedisClients.cluster(cluster.seedList());
        store = new RedisStore(client, 100, TTL, entry -> { });
        ann = cluster.userOn(0, "ann-");   // two shards: every write crosses slots and nodes
        bob = cluster.userOn(1, "bob-");
    }

    @AfterEach
    void close() {
        client.close();
    }

    /** Step 1 of a send by a node that then died: {@code ago} back, so the sweep counts the entry as abandoned. */
    private void crashAfterStepOne(Draft draft, String id, String key, Duration ago) {
        Instant sentAt = Instant.now().minus(ago);
        SlotTags tags = new SlotTags();
        String tag = tags.of(draft.from());
        List<?> reply = (List<?>) RedisScripts.run(
                client, RedisClusterScripts.SEND_OUT,
                List.of(RedisKeys.seq(draft.from()), RedisKeys.slotTrimDue(tag), RedisKeys.slotOwed(tag)),
                List.of(draft.to(), draft.from(), id, RedisCodec.encode(draft, id, sentAt),
                        Long.toString(sentAt.toEpochMilli()), "100", Long.toString(sentAt.toEpochMilli()), key,
                        key.isEmpty() ? "" : draft.fingerprint(),
                        Long.toString(sentAt.plus(Duration.ofDays(1)).toEpochMilli())));
        assertEquals("pending", reply.getFirst());
    }

    @Test
    void aRetryWithTheSameKeyFinishesASendCutBetweenItsSteps() {
        Draft draft = new Draft(ann, bob, "chat", "cut in half", null, null);
        crashAfterStepOne(draft, "cut-1", "k-1", Duration.ZERO);
        assertEquals(1, store.since(ann, 0, 10).messages().size(), "the sender's copy was written");
        assertEquals(List.of(), store.since(bob, 0, 10).messages(), "the recipient's is owed");

        MessageStore.Accepted retry = store.append(draft, "cut-2", Instant.now(), 0,
                Optional.of(new MessageStore.SendKey("k-1", draft.fingerprint()))).join();
        assertTrue(retry.repeat());
        assertEquals("cut-1", retry.id(), "the first attempt's id");
        assertEquals(1, retry.seq(), "the recipient's seq, now given");
        List<Message> bobs = store.since(bob, 0, 10).messages();
        assertEquals(List.of("cut-1"), bobs.stream().map(Message::id).toList());
        assertEquals("cut in half", bobs.getFirst().text().orElseThrow());

        MessageStore.Accepted again = store.append(draft, "cut-3", Instant.now(), 0,
                Optional.of(new MessageStore.SendKey("k-1", draft.fingerprint()))).join();
        assertEquals(List.of("cut-1", 1L), List.of(again.id(), again.seq()), "settled: the record has the seq");
        assertEquals(0, store.repairOwed(), "nothing left owed");
        assertEquals(1, store.since(bob, 0, 10).messages().size(), "stored once");
        assertEquals(1, store.since(ann, 0, 10).messages().size(), "stored once");
    }

    @Test
    void theRepairSweepFinishesAnAbandonedSendOnceAndKeepsSeqGapFree() {
        crashAfterStepOne(new Draft(ann, bob, "chat", "abandoned", null, null), "lost-1", "",
                          RedisClusterWrites.REPAIR_AFTER.plusSeconds(5));
        String cat = cluster.userOn(2, "cat-");
        crashAfterStepOne(new Draft(cat, bob, "chat", "in flight", null, null), "young-1", "", Duration.ZERO);
        assertEquals(1, store.repairOwed(), "only the entry older than the repair delay");
        List<Message> bobs = store.since(bob, 0, 10).messages();
        assertEquals(List.of("lost-1"), bobs.stream().map(Message::id).toList());
        assertEquals("abandoned", bobs.getFirst().text().orElseThrow());
        assertEquals(0, store.repairOwed(), "a second sweep finishes nothing twice");
        MessageStore.Accepted next = store.append(new Draft(ann, bob, "chat", "next", null, null), "next-1",
                                                  Instant.now(), 0, Optional.empty()).join();
        assertEquals(2, next.seq(), "bob's seq goes on without a gap");
        assertEquals(List.of("lost-1", "next-1"), store.since(ann, 0, 10).messages().stream().map(Message::id)
                .toList(), "ann's stream holds each once");
    }

    @Test
    void anEditCutBetweenItsStepsReachesTheOtherCopyThroughTheSweep() {
        MessageStore.Accepted sent = store.append(new Draft(ann, bob, "chat", "before", null, null), "e-1",
                                                  Instant.now(), 0, Optional.empty()).join();
        SlotTags tags = new SlotTags();
        String tag = tags.of(ann);
        Instant at = Instant.now();
        String ago = Long.toString(at.minus(RedisClusterWrites.REPAIR_AFTER.plusSeconds(5)).toEpochMilli());
        List<?> reply = (List<?>) RedisScripts.run(
                client, RedisClusterScripts.UPDATE_OWN,
                List.of(RedisKeys.seq(ann), RedisKeys.slotTrimDue(tag), RedisKeys.slotOwed(tag)),
                List.of(ann, bob, sent.id(), Update.Action.EDIT.wire(), "1", "after", "0", "", at.toString(),
                        Long.toString(at.toEpochMilli()), "0", "100", "u:op-1", ago));
        assertEquals("ok", reply.getFirst());
        assertEquals("after", store.find(ann, "e-1").orElseThrow().text().orElseThrow());
        assertEquals("before", store.find(bob, "e-1").orElseThrow().text().orElseThrow(), "owed");
        assertEquals(1, store.repairOwed());
        assertEquals("after", store.find(bob, "e-1").orElseThrow().text().orElseThrow());
        assertEquals(List.of(1L, 2L), store.since(bob, 0, 10).messages().stream().map(Message::seq).toList(),
                     "the message and one update entry");
        assertEquals(0, store.repairOwed());
    }
}
