package com.matchbook.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {
    private static long[] waits(Client c, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.nextBackoffMs(500, 30_000);
        }
        return out;
    }

    @Test
    void aClientDrawsTheSameWaitsAgainstEveryServer() {
        assertArrayEquals(waits(new Client(17, false), 8), waits(new Client(17, false), 8),
                          "client 17 against one server and against the next");
        assertFalse(java.util.Arrays.equals(waits(new Client(17, false), 8), waits(new Client(18, false), 8)),
                    "two clients do not share their luck");
    }

    @Test
    void theCeilingDoublesPerAttemptUpToTheCap() {
        long[] most = new long[9];
        for (int i = 0; i < 2_000; i++) {
            long[] w = waits(new Client(i, false), most.length);
            for (int k = 0; k < w.length; k++) {
                long ceiling = Math.min(30_000, 500L << k);
                assertTrue(w[k] >= 0 && w[k] < ceiling, "attempt " + k + ": " + w[k] + " ms, ceiling " + ceiling);
                most[k] = Math.max(most[k], w[k]);
            }
        }
        // Full jitter reaches near each ceiling: 2,000 draws under 500 ms, 1 s, ... leave the top 2% empty by chance
        // in fewer than one run in 10^17.
        for (int k = 0; k < most.length; k++) {
            long ceiling = Math.min(30_000, 500L << k);
            assertTrue(most[k] >= ceiling * 98 / 100, "attempt " + k + ": the longest wait " + most[k] + " ms");
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
