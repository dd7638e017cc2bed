package com.matchbook.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Medians, ranges and ratios of {@code --repeat}: ratios within a repetition first, then their median. */
class RunsTest {
    private static Map<String, Object> result(int rep, String scenario, String server, Object... keyValues) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("repetition", rep);
        r.put("scenario", scenario);
        r.put("server", server);
        for (int i = 0; i < keyValues.length; i += 2) {
            r.put((String) keyValues[i], keyValues[i + 1]);
        }
        return r;
    }

    @Test
    void ratioIsTakenWithinEachRunThenItsMedian() {
        // Run 1: 10k / 20k = 0.5; run 2: 30k / 20k = 1.5; run 3: 20k / 10k = 2.0. The median of the ratios is 1.5,
        // while the ratio of the medians (20k / 20k) would be 1.0.
        List<Map<String, Object>> results = List.of(
                result(1, "p2p", "matchbook", "throughput_msgs_s", 10_000L),
                result(1, "p2p", "ws", "throughput_msgs_s", 20_000L),
                result(2, "p2p", "matchbook", "throughput_msgs_s", 30_000L),
                result(2, "p2p", "ws", "throughput_msgs_s", 20_000L),
                result(3, "p2p", "matchbook", "throughput_msgs_s", 20_000L),
                result(3, "p2p", "ws", "throughput_msgs_s", 10_000L));
        Runs runs = new Runs(results, 3);
        Spread ratio = runs.ratio("p2p", "throughput_msgs_s", "matchbook", "ws");
        assertEquals(List.of(0.5, 1.5, 2.0), ratio.perRun());
        assertEquals(1.5, ratio.median());
        assertEquals(0.5, ratio.min());
        assertEquals(2.0, ratio.max());
        assertEquals("1.50 (0.50-2.00)", ratio.text());
        assertEquals("20000 (10000-30000)", runs.figure("p2p", "matchbook", "throughput_msgs_s").text());
    }

    @Test
    void brokenRunHasNoFigureAndIsCountedAsMissing() {
        List<Map<String, Object>> results = List.of(
                result(1, "idle", "ws", "bytes_per_conn", 4000L),
                result(2, "idle", "ws", "error", "IllegalStateException: refused"),
                result(3, "idle", "ws", "bytes_per_conn", 5000L));
        Runs runs = new Runs(results, 3);
        Spread s = runs.figure("idle", "ws", "bytes_per_conn");
        assertEquals(Arrays.asList(4000.0, null, 5000.0), s.perRun());
        assertFalse(s.complete());
        assertEquals(4500.0, s.median());
        assertEquals("4500 (4000-5000, n/a in 1 of 3)", s.text());
        assertEquals(1, runs.broken("idle", "ws"));
    }

    @Test
    void medianRowIsTheMedianRunWithMedianFigures() {
        List<Map<String, Object>> results = new ArrayList<>();
        results.add(result(1, "broadcast", "ws", "max_clients_p95_500ms", 500L, "capped", false, "stopped_by", "a"));
        results.add(result(2, "broadcast", "ws", "max_clients_p95_500ms", 1500L, "capped", true, "stopped_by", "c"));
        results.add(result(3, "broadcast", "ws", "max_clients_p95_500ms", 1000L, "capped", true, "stopped_by", "b"));
        Map<String, Object> row = new Runs(results, 3).medianRow("broadcast", "ws", "max_clients_p95_500ms");
        assertEquals(1000L, row.get("max_clients_p95_500ms"));
        assertEquals("b", row.get("stopped_by"));
        assertEquals(true, row.get("capped"));
    }

    @Test
    void countsShowWithoutDecimalsAndMeasuresWithTwo() {
        List<Map<String, Object>> results = List.of(
                result(1, "storm", "ws", "lost", 1L, "reconnect_all_s", 5.0),
                result(2, "storm", "ws", "lost", 2L, "reconnect_all_s", 6.5));
        Runs runs = new Runs(results, 2);
        assertEquals("1.5 (1-2)", runs.figure("storm", "ws", "lost").text());
        assertEquals("5.75 (5.00-6.50)", runs.figure("storm", "ws", "reconnect_all_s").text());
    }

    @Test
    void oneRunShowsItsFigureWithoutRange() {
        Runs runs = new Runs(List.of(result(1, "slow", "ws", "healthy_p99_ratio", 1.04)), 1);
        assertEquals("1.04", runs.figure("slow", "ws", "healthy_p99_ratio").text());
        assertNull(runs.figure("slow", "netty", "healthy_p99_ratio").median());
        assertTrue(runs.summary().get(0).get("figures") instanceof Map<?, ?>);
    }
}
