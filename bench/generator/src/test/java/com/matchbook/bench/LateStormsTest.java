package com.matchbook.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

        assertEquals(List.of("storm/matchbook-tiered run 1 (7.46 ms at p50, null at p95)"),
                     summary.get("late_storms"));
    }

    @Test
    void aStormOnTimeAtTheMedianButLateAtP95IsFlaggedToo() {
        // 2026-12-07: back 3.4 s before ws with its timers 0.14 ms late at p50 and 295 ms at p95.
        List<Map<String, Object>> results = List.of(
                storm("matchbook-tiered", 1, 0.14, 295.38),
                storm("ws", 1, 0.09, 12.17),
                storm("matchbook-tiered", 2, 0.09, 128.0));

        assertEquals(List.of("storm/matchbook-tiered run 1 (0.14 ms at p50, 295.38 at p95)"),
                     Main.generatorSummary(results, 2).get("late_storms"));
    }

    @Test
    void noTimersMeansNothingFlagged() {
        // Results written before the figure existed, and storms where no client needed a timer, have none.
        List<Map<String, Object>> results = List.of(storm("matchbook", 1, null));

        assertEquals(List.of(), Main.generatorSummary(results, 1).get("late_storms"));
    }
}
