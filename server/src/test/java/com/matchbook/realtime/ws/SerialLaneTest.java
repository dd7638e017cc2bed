package com.matchbook.realtime.ws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.matchbook.realtime.support.Eventually;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection's frames that may wait, off its selector: in the order handed over, one at a time, none lost. */
class SerialLaneTest {
    @Test
    void tasksRunInTheOrderTheyCameOneAtATime() throws InterruptedException {
        SerialLane lane = new SerialLane();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(5_000);
        for (int i = 0; i < 5_000; i++) {
            int n = i;
            lane.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (n % 1_000 == 0) {
                    Thread.yield();   // a task that takes a while: the next ones queue behind it
                }
                ran.add(n);
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran: " + ran.size());
        assertEquals(1, mostAtOnce.get(), "never two at once");
        for (int i = 0; i < 5_000; i++) {
            assertEquals(i, ran.get(i), "in order at " + i);
        }
    }

    @Test
    void aTaskThatFailsDoesNotStopTheOnesAfterIt() throws InterruptedException {
        SerialLane lane = new SerialLane();
        CountDownLatch after = new CountDownLatch(1);
        lane.execute(() -> {
            throw new IllegalStateException("a bug in one frame's handling");
        });
        lane.execute(after::countDown);
        assertTrue(after.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aTaskHandedOverAsTheLaneGoesIdleStillRuns() throws InterruptedException {
        SerialLane lane = new SerialLane();
        for (int round = 0; round < 2_000; round++) {
            CountDownLatch ran = new CountDownLatch(2);
            lane.execute(ran::countDown);
            lane.execute(ran::countDown);   // may land while the first drain is finishing
            assertTrue(ran.await(10, TimeUnit.SECONDS), "round " + round);
        }
    }

    @Test
    void busyFromTheFirstTaskHandedOverUntilTheLastHasRun() throws InterruptedException {
        SerialLane lane = new SerialLane();
        assertFalse(lane.busy(), "a new lane");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch last = new CountDownLatch(1);
        lane.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(lane.busy(), "a frame that comes now must queue behind the one running");
        lane.execute(last::countDown);
        release.countDown();
        assertTrue(last.await(10, TimeUnit.SECONDS));
        Eventually.holds("idle once the queue is empty", () -> !lane.busy());
    }
}
