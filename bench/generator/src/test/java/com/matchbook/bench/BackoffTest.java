package com.matchbook.bench;

import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    @AfterEach
    void firstSetAgain() {
        Client.useDrawSet(1);
    }

    private static long[] waits(Client c, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.nextBackoffMs(500, 30_000);
        }
        return out;
    }

    @Test
    void withinARepetitionAClientDrawsTheSameWaitsAgainstEveryServer() {
        Client.useDrawSet(1);
        assertArrayEquals(waits(new Client(17, false), 8), waits(new Client(17, false), 8),
                          "client 17 against one server and against the next");
        assertFalse(Arrays.equals(waits(new Client(17, false), 8), waits(new Client(18, false), 8)),
                    "two clients do not share their luck");
    }

    @Test
    void eachRepetitionDrawsAnotherSet() {
        Client.useDrawSet(1);
        long[] first = waits(new Client(17, false), 8);
        Client.useDrawSet(2);
        long[] second = waits(new Client(17, false), 8);
        assertFalse(Arrays.equals(first, second), "client 17 in the first repetition and in the second");
    }

    @Test
    void fullJitterUnderACeilingThatDoublesPerAttemptUpToTheCap() {
        long[] least = new long[9];
        long[] most = new long[9];
        Arrays.fill(least, Long.MAX_VALUE);
        for (int i = 0; i < 2_000; i++) {
            long[] w = waits(new Client(i, false), most.length);
            for (int k = 0; k < w.length; k++) {
                long ceiling = Math.min(30_000, 500L << k);
                assertTrue(w[k] >= 0 && w[k] < ceiling, "attempt " + k + ": " + w[k] + " ms, ceiling " + ceiling);
                least[k] = Math.min(least[k], w[k]);
                most[k] = Math.max(most[k], w[k]);
            }
        }
        // Uniform over the whole range (full jitter, not "half the ceiling plus jitter"): these 2,000 clients' draws
        // come within 2% of both ends at every attempt.
        for (int k = 0; k < most.length; k++) {
            long ceiling = Math.min(30_000, 500L << k);
            assertTrue(least[k] <= ceiling * 2 / 100, "attempt " + k + ": the shortest wait " + least[k] + " ms");
            assertTrue(most[k] >= ceiling * 98 / 100, "attempt " + k + ": the longest wait " + most[k] + " ms");
        }
    }

    @Test
    void manyAttemptsStayAtTheCap() {
        // A shift by 64 or more would wrap around (Java masks the count) and bring the ceiling back to 500 ms.
        for (int attempt : new int[] {16, 63, 64, 100}) {
            long most = 0;
            for (int i = 0; i < 500; i++) {
                Client c = new Client(i, false);
                c.attempt = attempt;
                most = Math.max(most, c.nextBackoffMs(500, 30_000));
            }
            assertTrue(most >= 29_000 && most < 30_000, "after " + attempt + " attempts the longest wait: " + most);
        }
    }

    @Test
    void aServersHintIsWaitedOutThenTheCountGoesOn() {
        Client c = new Client(3, false);
        c.hintMs = 2_000;
        long first = c.nextBackoffMs(500, 30_000);
        assertTrue(first >= 2_000 && first < 2_500, first + " ms after a 2 s hint");
        assertEquals(0, c.hintMs, "the hint is used once");
        assertEquals(1, c.attempt);
        long second = c.nextBackoffMs(500, 30_000);
        assertTrue(second < 1_000, "the second attempt's ceiling is 1 s: " + second);
    }
}
