package com.matchbook.bench;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a rehearsal storm leaves the generator warm enough to measure the next one (StormScenario.punctual). */
class RehearsalTest {
    private static Map<String, Object> storm(boolean allBack, Object lateP50) {
        return storm(allBack, lateP50, null);
    }

    private static Map<String, Object> storm(boolean allBack, Object lateP50, Object lateP95) {
        Map<String, Object> r = new HashMap<>();
        r.put("all_back", allBack);
        r.put("backoff_late_ms_p50", lateP50);
        r.put("backoff_late_ms_p95", lateP95);
        return r;
    }

    @Test
    void timersOnTimeWithEveryoneBackEndTheRehearsals() {
        assertTrue(StormScenario.punctual(storm(true, 0.13, 47.0)));
        assertTrue(StormScenario.punctual(storm(true, null)), "no client needed a timer");
    }

    @Test
    void lateTimersOrACrowdNotBackCallForAnother() {
        assertFalse(StormScenario.punctual(storm(true, 7.46)), "the late first storm of 2026-12-07");
        assertFalse(StormScenario.punctual(storm(true, Main.LATE_BACKOFF_MS)), "the bound itself is late");
        assertFalse(StormScenario.punctual(storm(false, 0.13)));
        assertFalse(StormScenario.punctual(storm(true, 0.14, 295.38)), "on time at the median, not at p95");
    }
}
