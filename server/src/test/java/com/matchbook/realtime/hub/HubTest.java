package com.matchbook.realtime.hub;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.store.MemoryStore;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.support.Eventually;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub and replay without sockets: ordering, overflow, and exactly-once cleanup. */
class HubTest {
    private final Stats stats = new Stats();
    private final AtomicReference<Hub> target = new AtomicReference<>();
    /** The store's announcements to the hub built over it, as {@code Realtime} wires them (store, replay, hub). */
    private final MessageStore.StoredListener toHub = m -> target.get().deliver(m);

    private Hub hub(int outboxLimit, MessageStore store) {
        return hub(outboxLimit, 16, store);
    }

    private Hub hub(int outboxLimit, int connectionsPerUser, MessageStore store) {
        HubLimits limits = new HubLimits(outboxLimit, connectionsPerUser, Duration.ofSeconds(30), Duration.ofSeconds(10),
                                         Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2));
        Hub hub = new Hub(limits, stats, new Replay(store, stats, limits), new Keepalive(stats, limits),
                          new QuietEvents());
        target.set(hub);
        return hub;
    }

    private static Message append(MessageStore store, String to, int n) {
        MessageStore.Accepted a = store.append(new Draft("s", to, "chat", "m" + n, null, null), "id" + n, Instant.now(), 0,
                                               java.util.Optional.empty()).join();
        return store.find(to, a.id()).orElseThrow();
    }

    @Test
    void aWebSocketOpenedOnItsOwnThreadIsWelcomedWithItsHistoryBeforeOpenReturnsThenGetsLiveTrafficInOrder()
            throws Exception {
        MessageStore store = new MemoryStore(100_000, Duration.ofDays(1), toHub);
        Hub hub = hub(100_000, store);
        for (int i = 1; i <= 3; i++) {
            append(store, "reader", i);
        }
        RecordingSink sink = new RecordingSink(Thread.currentThread());   // as WsEndpoint: opened on its reader

        hub.open("reader", sink, OptionalLong.of(0));

        assertTrue(sink.frames().getFirst().text().contains("\"welcome\""), "welcome first, already written");
        assertEquals(List.of(1L, 2L, 3L), sink.messageSeqs(), "and the history, before open returned");
        assertEquals(Thread.currentThread(), sink.lastWriter, "by the connection's own thread");
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int i = 4; i <= 300; i++) {
                append(store, "reader", i);
            }
        });
        sender.join();
        Eventually.holds("live messages follow", () -> sink.messageSeqs().size() == 300);
        List<Long> seqs = sink.messageSeqs();
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "position " + i);
        }
    }

    @Test
    void replayRacingLiveMessagesGivesEverySeqOnceInOrder() throws Exception {
        for (int round = 0; round < 20; round++) {
            MessageStore store = new MemoryStore(100_000, Duration.ofDays(1), toHub);
            Hub hub = hub(100_000, store);
            for (int i = 1; i <= 500; i++) {
                append(store, "racer", i);
            }
            Thread sender = Thread.ofPlatform().start(() -> {
                for (int i = 501; i <= 1500; i++) {
                    append(store, "racer", i);
                }
            });
            List<RecordingSink> sinks = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int c = 0; c < 5; c++) {
                RecordingSink sink = new RecordingSink();
                long since = c * 100L;
                sinks.add(sink);
                starts.add(since);
                hub.open("racer", sink, OptionalLong.of(since));
            }
            sender.join();
            for (int c = 0; c < sinks.size(); c++) {
                RecordingSink sink = sinks.get(c);
                long since = starts.get(c);
                Eventually.holds("all messages written", () -> sink.messageSeqs().size() == 1500 - since);
                List<Long> seqs = sink.messageSeqs();
                for (int i = 0; i < seqs.size(); i++) {
                    assertEquals(since + 1 + i, seqs.get(i), "round, connection " + c + ", position " + i);
                }
                assertTrue(sink.frames().getFirst().text().contains("\"welcome\""), "welcome first");
            }
            hub.close();
        }
    }

    @Test
    void aLostPublicationIsFilledFromHistoryBeforeLaterMessages() {
        // A broker that loses seqs 3 and 4 on the way, as pub/sub does while a node resubscribes.
        MessageStore store = new MemoryStore(1000, Duration.ofDays(1), m -> {
            if (m.seq() != 3 && m.seq() != 4) {
                toHub.stored(m);
            }
        });
        Hub hub = hub(1000, store);
        RecordingSink sink = new RecordingSink();
        hub.open("lossy", sink, OptionalLong.empty());
        for (int i = 1; i <= 6; i++) {
            append(store, "lossy", i);
        }
        Eventually.holds("all six written", () -> sink.messageSeqs().size() == 6);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), sink.messageSeqs());
    }

    @Test
    void aLongReplayIsPacedByTheOutboxInsteadOfOverflowingIt() {
        MessageStore store = new MemoryStore(1000, Duration.ofDays(1), toHub);
        Hub hub = hub(10, store);
        for (int i = 1; i <= 300; i++) {
            append(store, "reader", i);
        }
        RecordingSink sink = new RecordingSink();
        Connection c = hub.open("reader", sink, OptionalLong.of(0));
        Eventually.holds("whole replay written", () -> sink.messageSeqs().size() == 300);
        assertTrue(c.isOpen(), "a replay longer than the outbox is not a slow consumer");
        assertEquals(0, stats.slowConsumers());
    }

    @Test
    void aConsumerThatStopsReadingIsClosedWith4008AndOthersKeepFlowing() {
        MessageStore store = new MemoryStore(1000, Duration.ofDays(1), toHub);
        Hub hub = hub(50, store);
        RecordingSink stuck = new RecordingSink();
        RecordingSink healthy = new RecordingSink();
        Connection slow = hub.open("slow", stuck, OptionalLong.empty());
        hub.open("fine", healthy, OptionalLong.empty());
        Eventually.holds("welcomes written", () -> stuck.frames().size() == 1);
        stuck.block();
        for (int i = 1; i <= 100; i++) {
            append(store, "slow", i);
            if (i <= 40) {
                append(store, "fine", i);
            }
        }
        Eventually.holds("healthy got everything", () -> healthy.messageSeqs().size() == 40);
        assertFalse(slow.isOpen(), "overflowed outbox: unregistered");
        assertEquals(0, hub.connectionsOf("slow"));
        assertEquals(1, stats.slowConsumers());
        stuck.unblock();
        Eventually.holds("close 4008 written once the socket moves", () -> Integer.valueOf(CloseCodes.TOO_SLOW).equals(stuck.closeCode));
        assertEquals(100, store.since("slow", 0, 100).messages().size(), "its messages stay in history for replay");
    }

    @Test
    void everyWayOutUnregistersExactlyOnce() {
        MessageStore store = new MemoryStore(1000, Duration.ofDays(1), toHub);
        Hub hub = hub(100, store);
        Connection c = hub.open("once", new RecordingSink(), OptionalLong.empty());
        hub.open("once", new RecordingSink(), OptionalLong.empty());
        assertEquals(2, hub.connectionCount());
        hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.GOING_AWAY, "server closes");
        hub.end(c, Ending.PEER_LEFT, CloseCodes.NORMAL, "then the peer's close arrives");
        hub.end(c, Ending.PEER_LEFT, CloseCodes.ABNORMAL, "then the socket dies");
        assertEquals(1, hub.connectionCount());
        assertEquals(1, hub.connectionsOf("once"));
        assertEquals(1, stats.closed());
    }

    @Test
    void aUserIsLimitedToItsConnectionCount() {
        MessageStore store = new MemoryStore(1000, Duration.ofDays(1), toHub);
        Hub hub = hub(100, 2, store);
        hub.open("greedy", new RecordingSink(), OptionalLong.empty());
        hub.open("greedy", new RecordingSink(), OptionalLong.empty());
        try {
            hub.open("greedy", new RecordingSink(), OptionalLong.empty());
            throw new AssertionError("a third connection was let in");
        } catch (TooManyConnectionsException expected) {
            assertEquals(2, hub.connectionsOf("greedy"));
        }
    }
}
