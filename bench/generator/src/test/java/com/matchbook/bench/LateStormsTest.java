package com.matchbook.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LateStormsTest {
    private static Map<String, Object> storm(String server, int repetition, Object lateP50) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("repetition", repetition);
        r.put("scenario", "storm");
        r.put("server", server);
        r.put("backoff_late_ms_p50", lateP50);
        return r;
    }

    @Test
    void aStormWhoseTimersRanLateIsFlaggedWithItsRun() {
        List<Map<String, Object>> results = List.of(
                storm("matchbook-tiered", 1, 7.46),
                storm("ws", 1, 0.15),
                storm("matchbook-tiered", 2, 0.11));

        Map<String, Object> summary = Main.generatorSummary(results, 2);

        assertEquals(List.of("storm/matchbook-tiered run 1 (7.46 ms)"), summary.get("late_storms"));
    }

    @Test
    void noTimersMeansNothingFlagged() {
        // Results written before the figure existed, and storms where no client needed a timer, have none.
        List<Map<String, Object>> results = List.of(storm("matchbook", 1, null));

        assertEquals(List.of(), Main.generatorSummary(results, 1).get("late_storms"));
    }
}
