package com.matchbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storms whose reconnect timers the generator ran late (Main.lateTimers): flagged in the report, and the reason for
 * another rehearsal before the first measured storm (StormScenario.punctual).
 */
class LateStormsTest {
    private static Map<String, Object> storm(String server, int repetition, Object lateP50) {
        return storm(server, repetition, lateP50, null);
    }

    private static Map<String, Object> storm(String server, int repetition, Object lateP50, Object lateP95) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("repetition", repetition);
        r.put("scenario", "storm");
        r.put("server", server);
        r.put("backoff_late_ms_p50", lateP50);
        r.put("backoff_late_ms_p95", lateP95);
        return r;
    }

    @Test
    void aStormWhoseTimersRanLateIsFlaggedWithItsRun() {
        List<Map<String, Object>> results = List.of(
                storm("matchbook-tiered", 1, 7.46),
                storm("ws", 1, 0.15),
                storm("matchbook-tiered", 2, 0.11));

        Map<String, Object> summary = Main.generatorSummary(results, 2);

        assertEquals(List.of("storm/matchbook-tiered run 1 (7.46 ms at p50)"), summary.get("late_storms"));
    }

    @Test
    void aStormOnTimeAtTheMedianButLateAtP95IsFlaggedToo() {
        // 2026-12-07: back 3.4 s before ws with its timers 0.14 ms late at p50 and 295 ms at p95.
        List<Map<String, Object>> results = List.of(
                storm("matchbook-tiered", 1, 0.14, 295.38),
                storm("ws", 1, 0.09, 12.17),
                storm("matchbook-tiered", 2, 0.28, 225.43));   // came back with the others

        assertEquals(List.of("storm/matchbook-tiered run 1 (0.14 ms at p50, 295.38 ms at p95)"),
                     Main.generatorSummary(results, 2).get("late_storms"));
    }

    @Test
    void noTimersMeansNothingFlagged() {
        // Results written before the figure existed, and storms where no client needed a timer, have none.
        List<Map<String, Object>> results = List.of(storm("matchbook", 1, null));

        assertEquals(List.of(), Main.generatorSummary(results, 1).get("late_storms"));
    }

    @Test
    void timersOnTimeWithEveryoneBackEndTheRehearsals() {
        assertTrue(StormScenario.punctual(back(storm("matchbook", 1, 0.13, 47.0), true)));
        assertTrue(StormScenario.punctual(back(storm("matchbook", 1, null, null), true)), "no client needed a timer");
    }

    @Test
    void lateTimersOrACrowdNotBackCallForAnotherRehearsal() {
        assertFalse(StormScenario.punctual(back(storm("matchbook", 1, 7.46), true)), "the late storm of 2026-12-07");
        assertFalse(StormScenario.punctual(back(storm("matchbook", 1, Main.LATE_BACKOFF_MS), true)),
                    "the bound itself is late");
        assertFalse(StormScenario.punctual(back(storm("matchbook", 1, 0.14, 295.38), true)), "late at p95 only");
        assertFalse(StormScenario.punctual(back(storm("matchbook", 1, 0.1, Main.LATE_BACKOFF_P95_MS), true)),
                    "the p95 bound itself is late");
        assertFalse(StormScenario.punctual(back(storm("matchbook", 1, 0.13), false)));
    }

    private static Map<String, Object> back(Map<String, Object> storm, boolean allBack) {
        storm.put("all_back", allBack);
        return storm;
    }

    @Test
    void rehearsalsGoOnUntilOneIsPunctualAndStopAtTheMost() throws Exception {
        // as on 2026-12-07: the first late at the median, the second on time
        List<Map<String, Object>> late = List.of(back(storm("matchbook", 1, 210.04, 211.35), true),
                                                 back(storm("matchbook", 1, 0.09, 51.37), true));
        List<Integer> asked = new ArrayList<>();
        List<Map<String, Object>> done = StormScenario.rehearseUntilPunctual(nth -> {
            asked.add(nth);
            return late.get(nth - 1);
        });
        assertEquals(List.of(1, 2), asked);
        assertEquals(late, done);

        List<Map<String, Object>> never = StormScenario.rehearseUntilPunctual(
                nth -> back(storm("matchbook", 1, 0.14, 295.38), true));
        assertEquals(StormScenario.MAX_REHEARSALS, never.size());

        assertEquals(1, StormScenario.rehearseUntilPunctual(nth -> back(storm("matchbook", 1, 0.1, 3.0), true)).size());
    }
}
