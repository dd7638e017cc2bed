package com.matchbook.realtime.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.store.MemoryStore;
import com.matchbook.realtime.support.Eventually;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One keepalive sweep at a chosen instant, against recording sockets: no timer, no waiting for real periods. */
class KeepaliveSweepTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Stats stats = new Stats();
    private final HubLimits limits = new HubLimits(100, 16, INTERVAL, TIMEOUT, WRITE_TIMEOUT, CLOSE_GRACE,
                                                   Duration.ofSeconds(2));
    private final Keepalive keepalive = new Keepalive(stats, limits);
    private final Hub hub;
    private final RecordingSink sink = new RecordingSink(Thread.currentThread());
    private final Connection c;
    /** Just before and just after {@code hub.open}: the connection's first ping falls due an interval after a moment
     *  between the two, however long the open took on a loaded machine. */
    private final long opening;
    private final long opened;

    KeepaliveSweepTest() {
        // Nothing is appended here: the store's announcements go nowhere.
        Replay replay = new Replay(new MemoryStore(100, Duration.ofDays(1), m -> { }), stats, limits);
        hub = new Hub(limits, stats, replay, keepalive, new QuietEvents());
        opening = System.nanoTime();
        c = hub.open("sweeper", sink, OptionalLong.empty());
        opened = System.nanoTime();
        // The sink records a frame before the outbox clears its write clock: a sweep whose clock runs far ahead
        // would take a welcome still "being written" for a write blocked past the write timeout.
        Eventually.holds("welcome written", () -> sink.frames().size() == 1 && c.outbox().writeStartedNanos() == 0);
    }

    @AfterEach
    void close() {
        sink.unblock();
        keepalive.close();
        hub.close();
    }

    @Test
    void aDueConnectionGetsAControlPingAndAPingFrameOncePerInterval() {
        long pinged = opened + INTERVAL.toNanos() + SECOND;
        keepalive.sweep(hub, pinged);
        Eventually.holds("pings written", () -> sink.frames().size() == 3 && c.outbox().writeStartedNanos() == 0);
        assertEquals(OutFrame.Kind.PING, sink.frames().get(1).kind());
        assertTrue(sink.frames().get(2).text().contains("\"ping\""), sink.frames().get(2).text());
        c.heard();   // the pong: the connection stays
        keepalive.sweep(hub, pinged + INTERVAL.toNanos() - SECOND);
        assertEquals(3, sink.frames().size(), "not again before the next interval");
        keepalive.sweep(hub, pinged + INTERVAL.toNanos());
        Eventually.holds("pinged again an interval later", () -> sink.frames().size() == 5);
        assertTrue(c.isOpen());
    }

    @Test
    void connectionsOpenedTogetherHaveTheirFirstPingsSpreadOverTheWholeInterval() {
        long before = System.nanoTime();
        List<Opened> all = openMany("together", 200);
        long after = System.nanoTime();
        keepalive.sweep(hub, before);
        assertEquals(0, pinged(all), "none as it opens");
        // A sweep's clock a tenth into the interval, counted from the last open: at least a tenth of each one's.
        keepalive.sweep(hub, after + INTERVAL.toNanos() / 10);
        long early = pinged(all);
        // Uniform over the interval: about 20 of 200 by its tenth. Fewer than 2 has odds below 1e-6.
        assertTrue(early >= 2, "pinged within a tenth of the interval: " + early);
        awaitPingsWritten(all);
        answerEveryPing(all);
        keepalive.sweep(hub, before + INTERVAL.toNanos() / 2);
        long halfway = early + pinged(all);
        // About 100 of 200 by its middle (half an interval from the first open). Outside 40-160 has odds below 1e-15.
        assertTrue(halfway >= 40 && halfway <= 160, "pinged by half the interval: " + halfway);
        awaitPingsWritten(all);
        answerEveryPing(all);
        // Past every first ping (each is due within an interval of its open), before any second one.
        keepalive.sweep(hub, after + INTERVAL.toNanos() + SECOND);
        assertTrue(all.stream().allMatch(o -> o.connection().isOpen()), "every one answered: none cut");
        Eventually.holds("each socket got a control ping and a ping frame",
                         () -> all.stream().allMatch(o -> o.sink().frames().size() == 3));
    }

    @Test
    void eachSliceSweepsItsShareAndTheSlicesTogetherSweepEveryConnectionOnce() {
        List<Opened> all = openMany("sliced", 40);
        long due = System.nanoTime() + INTERVAL.toNanos() + SECOND;
        long before = 0;
        for (int slice = 0; slice < Keepalive.SLICES; slice++) {
            keepalive.sweep(hub, due, Keepalive.SLICES, slice);
            long now = pinged(all);
            // Slices are handed out in turn: 40 connections (and the fixture's) make 4 or 5 per slice.
            assertTrue(now - before >= 3 && now - before <= 5, "slice " + slice + " pinged " + (now - before));
            before = now;
        }
        assertEquals(all.size(), before, "every connection once");
        awaitPingsWritten(all);
        keepalive.sweep(hub, due + SECOND);
        Eventually.holds("one control ping and one ping frame each, not more",
                         () -> all.stream().allMatch(o -> o.sink().frames().size() == 3));
    }

    @Test
    void aPeriodIsCutIntoSlicesOfAtLeast50Ms() {
        assertEquals(10, Keepalive.slicesOf(Duration.ofSeconds(1).toNanos()));
        assertEquals(5, Keepalive.slicesOf(Duration.ofMillis(250).toNanos()));
        assertEquals(1, Keepalive.slicesOf(Duration.ofMillis(20).toNanos()));
    }

    private record Opened(Connection connection, RecordingSink sink) {
    }

    /** Opens {@code n} connections of one user each, welcomed on this thread, as a reconnect storm would. */
    private List<Opened> openMany(String prefix, int n) {
        List<Opened> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingSink s = new RecordingSink(Thread.currentThread());
            all.add(new Opened(hub.open(prefix + i, s, OptionalLong.empty()), s));
        }
        Eventually.holds("welcomes written", () -> all.stream().allMatch(o -> o.sink().frames().size() == 1));
        return all;
    }

    /**
     * Waits until every connection with a ping outstanding has its two pings written and its outbox idle. A later
     * sweep's clock runs far ahead of real time, so a write still under way then (started a moment ago, by the real
     * clock) would look blocked past the write timeout and cut its connection: the machine's load, not the sweep.
     */
    private static void awaitPingsWritten(List<Opened> all) {
        Eventually.holds("pings written", () -> all.stream()
                .filter(o -> o.connection().pingOutstandingSinceNanos() != 0)
                .allMatch(o -> o.sink().frames().size() == 3 && o.connection().outbox().writeStartedNanos() == 0));
    }

    /** Each of these connections heard from its peer, as a pong would make it: no ping is outstanding. */
    private static void answerEveryPing(List<Opened> all) {
        all.forEach(o -> o.connection().heard());
    }

    /** How many of these connections have a ping outstanding (a sweep marks them as it queues the pings). */
    private static long pinged(List<Opened> all) {
        return all.stream().filter(o -> o.connection().pingOutstandingSinceNanos() != 0).count();
    }

    @Test
    void sweptOncePerPeriodAConnectionIsPingedEveryIntervalNotAPeriodLater() {
        long period = Timings.keepaliveSweep(INTERVAL, TIMEOUT).toNanos();
        long pinged = pingAndWaitForTheWrites();
        c.heard();
        // The timer's ticks fall on a grid; the sweep that pinged ran a little after its tick (a busy core), as real
        // sweeps do. Due a whole interval after that late instant, the next ping missed the tick at the interval and
        // waited a period more: 25-26 s apart at the default.
        long grid = pinged - period / 10;
        long at = grid;
        while (c.pingOutstandingSinceNanos() == 0) {   // set by the sweep that queues the next ping
            at += period;
            assertTrue(at - pinged <= INTERVAL.toNanos(), "pinged again no later than the interval");
            keepalive.sweep(hub, at);
        }
        assertTrue(at - pinged > INTERVAL.toNanos() - period, "and not a period early: " + (at - pinged));
    }

    @Test
    void partOfALongMessageArrivingAfterThePingKeepsTheConnection() {
        long pinged = pingAndWaitForTheWrites();
        sink.lastReadNanos = pinged + SECOND;   // a frame's payload still coming in: no whole message yet
        keepalive.sweep(hub, pinged + TIMEOUT.toNanos() + SECOND);
        assertTrue(c.isOpen(), "an upload in progress is an answer");
        assertEquals(0, stats.heartbeatTimeouts());
    }

    @Test
    void bytesFromBeforeThePingAreNoAnswer() {
        long pinged = pingAndWaitForTheWrites();
        sink.lastReadNanos = pinged - SECOND;
        keepalive.sweep(hub, pinged + TIMEOUT.toNanos() + SECOND);
        assertFalse(c.isOpen());
        assertEquals(1, stats.heartbeatTimeouts());
    }

    @Test
    void silencePastTheTimeoutAfterAPingClosesWith1001() {
        long pinged = pingAndWaitForTheWrites();
        keepalive.sweep(hub, pinged + TIMEOUT.toNanos() + SECOND);
        assertFalse(c.isOpen());
        assertEquals(0, hub.connectionsOf("sweeper"));
        assertEquals(1, stats.heartbeatTimeouts());
        Eventually.holds("close written", () -> Integer.valueOf(CloseCodes.GOING_AWAY).equals(sink.closeCode));
        // This sweep's clock is past the close grace too: the close handshake is watched, and a peer that never
        // answered is cut off.
        assertTrue(sink.terminated, "the close handshake is watched");
        assertEquals(0, keepalive.closingCount());
    }

    @Test
    void anAnswerBeforeTheTimeoutKeepsTheConnection() {
        long pinged = pingAndWaitForTheWrites();
        c.heard();
        keepalive.sweep(hub, pinged + TIMEOUT.toNanos() + SECOND);
        assertTrue(c.isOpen());
        assertEquals(0, stats.heartbeatTimeouts());
    }

    /**
     * Sweeps at the instant the connection is due a ping and waits until both pings are written. The sweeps' clock
     * runs ahead of the real one: a ping still being written when the next sweep comes would look like a write
     * blocked for the whole jump, and that sweep would drop the connection as a slow consumer.
     */
    private long pingAndWaitForTheWrites() {
        long pinged = opened + INTERVAL.toNanos() + SECOND;
        keepalive.sweep(hub, pinged);
        Eventually.holds("pings written", () -> sink.frames().size() == 3 && c.outbox().writeStartedNanos() == 0);
        return pinged;
    }

    @Test
    void aWriteBlockedPastTheWriteTimeoutDropsTheConnectionWithoutACloseFrame() {
        sink.block();
        hub.reply(c, OutFrame.text("{\"type\":\"stuck\"}"));
        Eventually.holds("write in progress", () -> c.outbox().writeStartedNanos() != 0);
        keepalive.sweep(hub, System.nanoTime() + WRITE_TIMEOUT.toNanos() + SECOND);
        assertTrue(sink.terminated, "the socket is dropped");
        assertFalse(c.isOpen());
        assertEquals(1, stats.slowConsumers());
        assertNull(sink.closeCode);
    }

    @Test
    void aReaderThatEndedUnregistersTheConnection() throws InterruptedException {
        Thread reader = Thread.ofVirtual().start(() -> { });
        reader.join();
        RecordingSink vanished = new RecordingSink(reader);
        Connection gone = hub.open("vanisher", vanished, OptionalLong.empty());
        keepalive.sweep(hub, opened + SECOND);
        assertFalse(gone.isOpen());
        assertEquals(0, hub.connectionsOf("vanisher"));
        assertTrue(c.isOpen(), "a connection whose reader lives stays");
        assertNull(vanished.closeCode, "nobody is there to read a close frame");
    }

    @Test
    void aPeerThatDoesNotAnswerOurCloseIsCutOffAfterTheGrace() {
        long ending = System.nanoTime();
        hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.GOING_AWAY, "drain");
        assertEquals(1, keepalive.closingCount());
        // The grace runs from inside end(): measured from before it, however slowly this thread gets on.
        keepalive.sweep(hub, ending + CLOSE_GRACE.toNanos() - SECOND);
        assertFalse(sink.terminated, "still within the grace");
        keepalive.sweep(hub, System.nanoTime() + CLOSE_GRACE.toNanos() + SECOND);
        assertTrue(sink.terminated);
        assertEquals(0, keepalive.closingCount());
    }
}
