package com.matchbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14's goals: judged on the median of per-run ratios, the slow goal on every run. */
class GoalsTest {
    private static final Sizes QUICK = Sizes.of("quick");

    private final List<Map<String, Object>> results = new ArrayList<>();

    private void add(int rep, String scenario, String server, String key, Object value) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("repetition", rep);
        r.put("scenario", scenario);
        r.put("server", server);
        r.put(key, value);
        results.add(r);
    }

    private Goals.Verdict verdict(String goalPrefix, String store, int repeat) {
        return Goals.judge(new Runs(results, repeat), QUICK).stream()
                .filter(v -> v.goal().name().startsWith(goalPrefix) && v.store().equals(store))
                .findFirst().orElseThrow();
    }

    @Test
    void throughputGoalHoldsInTheMedianEvenWhenOneRunMissesIt() {
        long[] disk = {20_000, 25_000, 30_000};
        long[] ws = {25_000, 25_000, 25_000};
        for (int rep = 1; rep <= 3; rep++) {
            add(rep, "p2p", "matchbook-disk", "throughput_msgs_s", disk[rep - 1]);
            add(rep, "p2p", "ws", "throughput_msgs_s", ws[rep - 1]);
        }
        Goals.Verdict v = verdict("p2p throughput >= 1.0x ws", "matchbook-disk", 3);
        assertTrue(v.met(), v.text());
        assertEquals("1.00 (0.80-1.20) met", v.text());
    }

    @Test
    void slowGoalMustHoldInEveryRun() {
        double[] ratios = {1.02, 1.05, 1.31};
        for (int rep = 1; rep <= 3; rep++) {
            add(rep, "slow", "matchbook", "healthy_p99_ratio", ratios[rep - 1]);
        }
        Goals.Verdict v = verdict("slow:", "matchbook", 3);
        assertFalse(v.met(), "the median 1.05 holds, the third run does not: " + v.text());
        assertEquals("1.05 (1.02-1.31) NOT met", v.text());
    }

    @Test
    void goalWithoutAFigureInEveryRunIsNotMet() {
        add(1, "storm", "matchbook", "reconnect_all_s", 5.0);
        add(1, "storm", "ws", "reconnect_all_s", 6.0);
        add(2, "storm", "matchbook", "reconnect_all_s", null); // not every client came back
        add(2, "storm", "ws", "reconnect_all_s", 6.0);
        add(3, "storm", "matchbook", "reconnect_all_s", 5.5);
        add(3, "storm", "ws", "reconnect_all_s", 6.0);
        Goals.Verdict v = verdict("storm: all back", "matchbook", 3);
        assertFalse(v.met(), v.text());
        assertTrue(v.verdict().startsWith("NOT met (no figure in 1 of 3 runs)"), v.verdict());
    }

    @Test
    void goalsApplyOnlyToTheStoresTheyAreSetFor() {
        List<Goals.Verdict> all = Goals.judge(new Runs(results, 1), QUICK);
        assertTrue(all.stream().anyMatch(v -> v.goal().name().equals("storm: nothing lost")
                && v.store().equals("matchbook-disk")));
        assertFalse(all.stream().anyMatch(v -> v.goal().name().equals("storm: nothing lost")
                && v.store().equals("matchbook")));
        assertFalse(all.stream().anyMatch(v -> v.goal().name().startsWith("p2p throughput >= 1.5x ws")
                && v.store().equals("matchbook-disk")));
    }

    @Test
    void eachGoalInTheJsonCarriesItsBoundAndSide() {
        add(1, "slow", "matchbook", "healthy_p99_ratio", 1.2);
        Map<String, Object> slow = verdict("slow:", "matchbook", 1).json();
        assertEquals(1.1, (double) slow.get("bound"), 1e-9);
        assertEquals(false, slow.get("at_least"));
        assertEquals("every run", slow.get("rule"));
        add(1, "broadcast", "matchbook", "max_clients_p95_500ms", 15_000L);
        Map<String, Object> broadcast = verdict("broadcast:", "matchbook", 1).json();
        assertEquals((double) QUICK.broadcastMax(), (double) broadcast.get("bound"), 1e-9);
        assertEquals(true, broadcast.get("at_least"));
    }

    @Test
    void broadcastGoalIsTheGeneratorsCap() {
        add(1, "broadcast", "matchbook", "max_clients_p95_500ms", 15_000L);
        add(1, "broadcast", "matchbook-disk", "max_clients_p95_500ms", 14_500L);
        assertTrue(verdict("broadcast:", "matchbook", 1).met());
        assertFalse(verdict("broadcast:", "matchbook-disk", 1).met());
    }
}
