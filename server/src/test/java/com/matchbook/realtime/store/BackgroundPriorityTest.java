package com.matchbook.realtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BackgroundPriorityTest {
    /**
     * Whether a thread here can be lowered: Linux with {@code /proc/thread-self}, a {@code renice} where
     * {@link BackgroundPriority} looks, and the tests not already at nice 19. Checked without calling
     * {@link BackgroundPriority#set}, so that a {@code set} that does nothing fails these tests instead of skipping them.
     */
    static boolean lowerable() {
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/thread-self/stat"))
                || !(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/renice"))
                     || java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/renice")))) {
            return false;
        }
        return niceOfThisThread() != BackgroundPriority.NICE;
    }

    static int niceOfThisThread() {
        try {
            return BackgroundPriority.current();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void lowersOnlyTheCallingPlatformThread() throws Exception {
        assumeTrue(lowerable(), "Linux with renice, the tests not already at nice 19");
        int before = niceOfThisThread();
        AtomicBoolean set = new AtomicBoolean();
        AtomicInteger after = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = Thread.ofPlatform().start(() -> {
            set.set(BackgroundPriority.set(BackgroundPriority.NICE));
            after.set(niceOfThisThread());
        });
        t.join();
        assertTrue(set.get(), "reported as set");
        assertEquals(19, after.get(), "the thread runs at nice 19");
        assertEquals(before, niceOfThisThread(), "the caller's own priority is untouched");
    }

    @Test
    void leavesAVirtualThreadsCarrierAlone() throws Exception {
        assumeTrue(lowerable(), "Linux with renice, the tests not already at nice 19");
        AtomicBoolean set = new AtomicBoolean(true);
        AtomicInteger carrier = new AtomicInteger(Integer.MIN_VALUE);
        int before = niceOfThisThread();
        Thread.ofVirtual().start(() -> {
            set.set(BackgroundPriority.set(BackgroundPriority.NICE));
            carrier.set(niceOfThisThread());
        }).join();
        assertFalse(set.get(), "refused: renicing would slow every virtual thread on that carrier");
        assertEquals(before, carrier.get(), "the carrier keeps the process's priority");
    }
}
