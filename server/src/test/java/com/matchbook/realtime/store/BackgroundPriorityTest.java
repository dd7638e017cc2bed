package com.matchbook.realtime.store;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BackgroundPriorityTest {
    @Test
    void lowersOnlyTheCallingPlatformThread() throws Exception {
        assumeTrue(ThreadNice.readable() && ThreadNice.reniceAvailable(), "Linux with util-linux's renice");
        int before = ThreadNice.ofThisThread();
        AtomicBoolean set = new AtomicBoolean();
        AtomicInteger after = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = Thread.ofPlatform().start(() -> {
            set.set(BackgroundPriority.set(BackgroundPriority.NICE));
            after.set(ThreadNice.ofThisThread());
        });
        t.join();
        assertTrue(set.get(), "reported as set");
        assertEquals(19, after.get(), "the thread runs at nice 19");
        assertEquals(before, ThreadNice.ofThisThread(), "the caller's own priority is untouched");
    }

    @Test
    void leavesAVirtualThreadsCarrierAlone() throws Exception {
        assumeTrue(ThreadNice.readable(), "Linux");
        AtomicBoolean set = new AtomicBoolean(true);
        AtomicInteger carrier = new AtomicInteger(Integer.MIN_VALUE);
        int before = ThreadNice.ofThisThread();
        Thread.ofVirtual().start(() -> {
            set.set(BackgroundPriority.set(BackgroundPriority.NICE));
            carrier.set(ThreadNice.ofThisThread());
        }).join();
        assertFalse(set.get(), "refused: renicing would slow every virtual thread on that carrier");
        assertEquals(before, carrier.get(), "the carrier keeps the process's priority");
    }
}
