package com.matchbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The ratios the report shows (Matchbook over each peer) and the team's goals (issue 14, "Goals"), each judged on
 * ratios taken within one repetition and then on their median over the repetitions ({@code --repeat 3} for the
 * issue's "median of three quick runs"). A goal is met only when every repetition has its figure and it holds in
 * the median; the slow-consumer goal must hold in every repetition.
 */
final class Goals {
    static final String MEMORY = "matchbook";
    static final String DISK = "matchbook-disk";
    /** The journal store: durable like the disk store, so judged by the disk store's goals. */
    static final String JOURNAL = "matchbook-journal";
    /** The tiered store (journal and archive): durable, judged by the disk store's goals. */
    static final String TIERED = "matchbook-tiered";
    static final List<String> DURABLE = List.of(DISK, JOURNAL, TIERED);
    static final List<String> MATCHBOOKS = List.of(MEMORY, DISK, JOURNAL, TIERED);
    static final List<String> PEERS = List.of("socketio", "ws", "netty");

    /** A figure for the Matchbook / peer table; {@code better} says which way is good. */
    record Ratio(String scenario, String key, String better) {
    }

    static final List<Ratio> RATIOS = List.of(new Ratio("p2p", "throughput_msgs_s", "higher"),
            new Ratio("p2p", "p99_ms", "lower"), new Ratio("idle", "bytes_per_conn", "lower"),
            new Ratio("broadcast", "max_clients_p95_500ms", "higher"), new Ratio("storm", "reconnect_all_s", "lower"),
            new Ratio("slow", "healthy_p99_ratio", "lower"));

    /** How a goal's per-repetition values are judged. */
    enum Rule {
        /** The median holds. */
        MEDIAN,
        /** Every repetition holds (the slow-consumer goal: "in all three runs"). */
        EVERY_RUN
    }

    /**
     * One goal: what it measures for a Matchbook kind (a ratio to a peer or a figure), the bound, and for which
     * stores it is set.
     *
     * @param atLeast true for "value >= bound", false for "value <= bound"
     */
    record Goal(String name, List<String> stores, BiFunction<Runs, String, Spread> measure, boolean atLeast,
                double bound, Rule rule) {
        Verdict judge(Runs runs, String store) {
            Spread s = measure.apply(runs, store);
            if (s.values().isEmpty()) {
                return new Verdict(this, store, s, "n/a", false);
            }
            boolean holds = switch (rule) {
                case MEDIAN -> holds(s.median());
                case EVERY_RUN -> holds(atLeast ? s.min() : s.max());
            };
            String verdict = !s.complete() ? "NOT met (no figure in " + (s.perRun().size() - s.values().size())
                    + " of " + s.perRun().size() + " runs)" : holds ? "met" : "NOT met";
            return new Verdict(this, store, s, verdict, s.complete() && holds);
        }

        private boolean holds(double v) {
            // A hair of tolerance: a ratio of two equal figures must not fail on a rounding error.
            return atLeast ? v >= bound - 1e-9 : v <= bound + 1e-9;
        }
    }

    /** A goal judged for one store. */
    record Verdict(Goal goal, String store, Spread spread, String verdict, boolean met) {
        String text() {
            return spread.values().isEmpty() ? "n/a" : spread.text() + " " + verdict;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("goal", goal.name());
            m.put("server", store);
            m.put("rule", goal.rule() == Rule.MEDIAN ? "median of the runs" : "every run");
            // The bound and its side, so that a tool judging several one-run files (bench/compare/arms.py) applies
            // the same rule without a copy of this list.
            m.put("bound", goal.bound());
            m.put("at_least", goal.atLeast());
            m.putAll(spread.json());
            m.put("met", met);
            m.put("verdict", verdict);
            return m;
        }
    }

    private Goals() {
    }

    /** The goals of issue 14 for a run of these sizes. */
    static List<Goal> of(Sizes sizes) {
        String at = String.format("%,d", sizes.fixedRate());
        List<Goal> g = new ArrayList<>();
        g.add(ratio("p2p throughput >= 1.0x ws", DURABLE, "p2p", "throughput_msgs_s", "ws", true, 1.0));
        g.add(ratio("p2p throughput >= 2x socketio", DURABLE, "p2p", "throughput_msgs_s", "socketio", true, 2));
        g.add(ratio("p2p throughput >= 1.5x ws", List.of(MEMORY), "p2p", "throughput_msgs_s", "ws", true, 1.5));
        g.add(ratio("p2p throughput >= 0.9x netty", List.of(MEMORY), "p2p", "throughput_msgs_s", "netty", true, 0.9));
        g.add(ratio("p99 at " + at + " msg/s <= socketio's", MATCHBOOKS, "p2p", "p99_ms", "socketio", false, 1.0));
        g.add(ratio("p99 at " + at + " msg/s <= 2x netty's", MATCHBOOKS, "p2p", "p99_ms", "netty", false, 2.0));
        g.add(ratio("idle bytes/conn <= 0.7x socketio's", MATCHBOOKS, "idle", "bytes_per_conn", "socketio", false,
                0.7));
        g.add(ratio("storm: all back no later than ws's clients (time ratio <= 1)", MATCHBOOKS, "storm",
                "reconnect_all_s", "ws", false, 1.0));
        g.add(new Goal("storm: nothing lost", DURABLE, (runs, mb) -> runs.figure("storm", mb, "lost"), false, 0,
                Rule.MEDIAN));
        g.add(new Goal("slow: healthy p99 ratio <= 1.1 in every run", MATCHBOOKS,
                (runs, mb) -> runs.figure("slow", mb, "healthy_p99_ratio"), false, 1.1, Rule.EVERY_RUN));
        g.add(new Goal("broadcast: reaches the generator's cap (" + String.format("%,d", sizes.broadcastMax())
                + " clients)", MATCHBOOKS, (runs, mb) -> runs.figure("broadcast", mb, "max_clients_p95_500ms"), true,
                sizes.broadcastMax(), Rule.MEDIAN));
        return g;
    }

    private static Goal ratio(String name, List<String> stores, String scenario, String key, String peer,
                              boolean atLeast, double bound) {
        return new Goal(name, stores, (runs, mb) -> runs.ratio(scenario, key, mb, peer), atLeast, bound, Rule.MEDIAN);
    }

    /** Every goal judged for every store it is set for, in order. */
    static List<Verdict> judge(Runs runs, Sizes sizes) {
        List<Verdict> out = new ArrayList<>();
        for (Goal goal : of(sizes)) {
            for (String store : goal.stores()) {
                out.add(goal.judge(runs, store));
            }
        }
        return out;
    }

    /** For the JSON: every Matchbook / peer ratio over the repetitions. */
    static List<Map<String, Object>> ratiosJson(Runs runs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Ratio r : RATIOS) {
            for (String mb : MATCHBOOKS) {
                for (String peer : PEERS) {
                    Spread s = runs.ratio(r.scenario(), r.key(), mb, peer);
                    if (s.values().isEmpty()) {
                        continue;
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("figure", r.scenario() + " " + r.key());
                    m.put("better", r.better());
                    m.put("server", mb);
                    m.put("peer", peer);
                    m.putAll(s.json());
                    out.add(m);
                }
            }
        }
        return out;
    }
}
