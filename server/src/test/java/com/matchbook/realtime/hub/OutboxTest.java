package com.matchbook.realtime.hub;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.support.Eventually;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One connection's outbox against a recording socket: what reaches the peer, and when. */
class OutboxTest {
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final RecordingSink sink = new RecordingSink();
    private final AtomicInteger failures = new AtomicInteger();
    private final Outbox outbox = new Outbox(sink, writers, 5, countingFailures());

    /** Events that count write failures (every test expects none unless it says so). */
    private Outbox.Events countingFailures() {
        return new Outbox.Events() {
            @Override
            public void writeFailed(Throwable error) {
                failures.incrementAndGet();
            }

            @Override
            public void written(List<OutFrame> frames) {
            }

            @Override
            public void drainStarted() {
            }

            @Override
            public void drainEnded() {
            }
        };
    }

    @AfterEach
    void stopWriters() throws InterruptedException {
        sink.unblock();
        writers.shutdown();
        assertTrue(writers.awaitTermination(10, TimeUnit.SECONDS), "no writer left running");
    }

    private static OutFrame frame(String text) {
        return OutFrame.text(text);
    }

    private List<String> texts() {
        return sink.frames().stream().map(OutFrame::text).toList();
    }

    /** One frame in a write that blocks, and the queue full (5) behind it. */
    private void fillBehindABlockedWrite() {
        sink.block();
        assertTrue(outbox.offer(frame("in flight")));
        Eventually.holds("the first write is in progress", () -> outbox.writeStartedNanos() != 0);
        for (int i = 1; i <= 5; i++) {
            assertTrue(outbox.offer(frame(Integer.toString(i))));
        }
        assertEquals(5, outbox.size());
    }

    private Outbox held(RecordingSink to) {
        return new Outbox(to, writers, 5, countingFailures(), true);
    }

    @Test
    void aHeldOutboxWritesWhatWasQueuedOnItsOpenersThreadBeforeStartWritingReturns() {
        RecordingSink own = new RecordingSink();
        Outbox opening = held(own);
        assertTrue(opening.offer(frame("welcome")));
        assertTrue(opening.offer(frame("history")));

        opening.startWriting();

        assertEquals(List.of("welcome", "history"), own.frames().stream().map(OutFrame::text).toList(),
                     "written by the time the opener's call returns");
        assertEquals(Thread.currentThread(), own.lastWriter, "on the opener's thread, not a drain task's");
        assertTrue(opening.offer(frame("live")));
        Eventually.holds("later frames go out too", () -> own.frames().size() == 3);
        assertEquals(0, failures.get());
    }

    @Test
    void theOpenerWritesOnlyWhatWasQueuedWhenItStartedAndHandsTheRestToADrainTask() {
        List<Thread> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        Outbox[] opening = new Outbox[1];
        FrameSink arrivingWhileWriting = new FrameSink() {
            @Override
            public void write(List<OutFrame> frames) {
                writers.add(Thread.currentThread());
                frames.forEach(f -> written.add(f.text()));
                if (written.size() == 1) {
                    assertTrue(opening[0].offer(frame("live")), "traffic arrives during the opener's write");
                }
            }

            @Override
            public void close(int code, String reason) {
            }

            @Override
            public java.util.Optional<Thread> reader() {
                return java.util.Optional.empty();
            }

            @Override
            public void terminate() {
            }
        };
        opening[0] = new Outbox(arrivingWhileWriting, this.writers, 5, countingFailures(), true);
        assertTrue(opening[0].offer(frame("welcome")));

        opening[0].startWriting();

        Eventually.holds("the live frame goes out too", () -> written.size() == 2);
        assertEquals(List.of("welcome", "live"), written);
        assertEquals(Thread.currentThread(), writers.get(0), "the welcome on the opener's thread");
        assertFalse(writers.get(1) == Thread.currentThread(),
                    "what arrived during it on a drain task: the opener goes back to reading");
        assertEquals(0, failures.get());
    }

    @Test
    void aCloseOfAHeldOutboxIsWrittenWithoutTheOpener() {
        RecordingSink own = new RecordingSink();
        Outbox opening = held(own);
        assertTrue(opening.offer(frame("welcome")));

        opening.close(CloseCodes.POLICY, "bye");

        Eventually.holds("the close frame is written", () -> Integer.valueOf(CloseCodes.POLICY)
                .equals(own.closeCode));
    }

    @Test
    void framesGoOutInOrderAndTheLimitRefusesTheSixth() {
        sink.block();
        assertTrue(outbox.offer(frame("0")));
        Eventually.holds("the first write is in progress", () -> outbox.writeStartedNanos() != 0);
        for (int i = 1; i <= 5; i++) {
            assertTrue(outbox.offer(frame(Integer.toString(i))), "frame " + i + " fits");
        }
        assertFalse(outbox.offer(frame("6")), "over the limit of 5 queued");
        sink.unblock();
        Eventually.holds("all written", () -> sink.frames().size() == 6);
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), texts());
    }

    @Test
    void closeDropsWhatIsQueuedAndWritesOnlyTheCloseFrame() {
        sink.block();
        outbox.offer(frame("in flight"));
        Eventually.holds("the first write is in progress", () -> outbox.writeStartedNanos() != 0);
        outbox.offer(frame("queued 1"));
        outbox.offer(frame("queued 2"));
        outbox.close(CloseCodes.TOO_SLOW, "too slow");
        assertEquals(0, outbox.size(), "the queue's memory is freed at once");
        assertFalse(outbox.offer(frame("after close")), "nothing is taken after a close");
        sink.unblock();
        Eventually.holds("close written", () -> Integer.valueOf(CloseCodes.TOO_SLOW).equals(sink.closeCode));
        assertEquals(List.of("in flight"), texts());
    }

    @Test
    void closeAfterQueuedWritesEverythingQueuedThenTheCloseFrame() {
        sink.block();
        outbox.offer(frame("in flight"));
        Eventually.holds("the first write is in progress", () -> outbox.writeStartedNanos() != 0);
        outbox.offer(frame("queued 1"));
        outbox.offer(frame("queued 2"));
        outbox.closeAfterQueued(CloseCodes.GOING_AWAY, "bye");
        outbox.close(CloseCodes.TOO_SLOW, "a second close");
        assertFalse(outbox.offer(frame("after close")), "nothing is taken after a close");
        sink.unblock();
        Eventually.holds("close written", () -> sink.closeCode != null);
        assertEquals(CloseCodes.GOING_AWAY, sink.closeCode, "the first close wins");
        assertEquals(List.of("in flight", "queued 1", "queued 2"), texts());
    }

    @Test
    void discardWritesNothingMoreNotEvenACloseFrame() {
        sink.block();
        outbox.offer(frame("in flight"));
        Eventually.holds("the first write is in progress", () -> outbox.writeStartedNanos() != 0);
        outbox.offer(frame("queued"));
        outbox.discard();
        outbox.close(CloseCodes.GOING_AWAY, "too late");
        assertFalse(outbox.offer(frame("after discard")));
        sink.unblock();
        Eventually.holds("the writer finished", () -> outbox.writeStartedNanos() == 0 && sink.frames().size() == 1);
        assertEquals(List.of("in flight"), texts());
        assertNull(sink.closeCode, "a peer that is gone gets no close frame");
        assertEquals(0, failures.get());
    }

    @Test
    void awaitRoomWaitsForTheWriterAndGivesUpAtItsTimeout() throws Exception {
        fillBehindABlockedWrite();
        assertFalse(outbox.awaitRoom(3, TimeUnit.MILLISECONDS.toNanos(50)), "a peer that stopped reading makes no room");
        boolean[] roomMade = {false};
        Thread waiter = Thread.ofVirtual().start(() -> roomMade[0] = outbox.awaitRoom(3, TimeUnit.SECONDS.toNanos(10)));
        sink.unblock();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive());
        assertTrue(roomMade[0], "room was made once the peer read");
    }

    @Test
    void awaitRoomReturnsFalseOnceTheOutboxIsDiscarded() throws Exception {
        fillBehindABlockedWrite();
        boolean[] result = {true};
        Thread waiter = Thread.ofVirtual().start(() -> result[0] = outbox.awaitRoom(3, TimeUnit.SECONDS.toNanos(10)));
        Eventually.holds("the waiter is parked", () -> waiter.getState() == Thread.State.WAITING
                || waiter.getState() == Thread.State.TIMED_WAITING);
        outbox.discard();
        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive());
        assertFalse(result[0], "a gone connection has no room to wait for");
    }
}
