package com.matchbook.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BroadcastSlowestTest {
    @Test
    void theSlowestAreTheLongestCompletedBroadcastsWhateverOrderTheyEndedIn() {
        // broadcast 1 never arrived everywhere (NaN); 3 finished before 2
        double[] tookMs = {120.0, Double.NaN, 95.5, 530.1, 141.3, 512.0};

        assertArrayEquals(new int[] {3, 5}, BroadcastScenario.slowest(tookMs, 2));
        assertArrayEquals(new int[] {3, 5, 4, 0, 2}, BroadcastScenario.slowest(tookMs, 9), "at most the completed ones");
        assertArrayEquals(new int[0], BroadcastScenario.slowest(new double[] {Double.NaN}, 2));
    }

    @Test
    void theOldGenerationsCyclesAreToldApartPerCollector() {
        assertTrue(BroadcastScenario.oldGeneration(new GcLog.Cycle(9.3, 0.279, "GC(7) Major Collection (Allocation Rate) 170M(17%)->106M(10%)")));
        assertFalse(BroadcastScenario.oldGeneration(new GcLog.Cycle(8.4, 0.075, "GC(6) Minor Collection (Allocation Rate) 174M(17%)->86M(8%)")));
        assertTrue(BroadcastScenario.oldGeneration(new GcLog.Cycle(4.0, 0.9, "GC(5) Concurrent Mark Cycle")));
        assertFalse(BroadcastScenario.oldGeneration(new GcLog.Cycle(4.0, 0.009, "GC(5) Pause Young (Normal) (G1 Evacuation Pause) 66M->27M(1004M)")));
        assertTrue(BroadcastScenario.oldGeneration(new GcLog.Cycle(2.0, 0.1, "GC(3) Pause Full (Allocation Failure) 70M->10M(1004M)")));
    }
}
