package com.matchbook.bench;

import java.util.List;
import java.util.Map;

/**
 * Every scenario the generator knows, in the order a run takes them: the ONE place to register a new one (its
 * runner, whether a run without {@code --scenarios} takes it, and the figures its table in the report shows).
 * Ratios and goals that use a scenario's figures are in {@link Goals}; everything else (the JSON, the medians and
 * spreads of {@code --repeat}) picks up a new scenario's numeric figures by itself.
 */
final class Scenarios {
    /** One scenario against one freshly started server: its figures, or an exception that breaks it. */
    interface Runner {
        Map<String, Object> run(Context ctx) throws Exception;
    }

    /**
     * @param byDefault whether a run without {@code --scenarios} takes it
     * @param table     the figures of its table in the Markdown report, in column order; the first one is the
     *                  scenario's main figure (the median repetition is the one whose main figure is the median)
     */
    record Spec(String name, Runner runner, boolean byDefault, List<String> table) {
    }

    static final List<Spec> ALL = List.of(
            new Spec("idle", IdleScenario::run, true, List.of("bytes_per_conn", "bytes_per_conn_after_gc",
                    "idle_cpu_pct", "connections", "generator_cpu_pct")),
            new Spec("p2p", P2pScenario::run, true, List.of("throughput_msgs_s", "p50_ms", "p99_ms", "lost",
                    "generator_cpu_pct", "generator_cpu_pct_at_throughput", "server_cpu_pct_at_throughput",
                    "stopped_by")),
            new Spec("broadcast", BroadcastScenario::run, true, List.of("max_clients_p95_500ms", "broadcast_via",
                    "generator_cpu_pct", "server_cpu_pct", "stopped_by")),
            new Spec("storm", StormScenario::run, true, List.of("reconnect_all_s", "reconnect_p50_s",
                    "reconnect_p95_s", "lost", "accepted", "server_ready_s", "last_1pct_attempts_p50", "failed_attempts",
                    "backoff_late_ms_p50", "backoff_late_ms_p95", "generator_gc_ms", "generator_cpu_pct")),
            new Spec("slow", SlowScenario::run, true, List.of("healthy_p99_ratio", "baseline_p99_ms",
                    "healthy_p99_ms", "baseline_gc_s", "healthy_gc_s", "lost", "stopped_clients_still_open",
                    "generator_cpu_pct")),
            // Matchbook only, and only when asked for (--scenarios compression): three fresh servers.
            new Spec("compression", CompressionScenario::run, false, List.of("wire_bytes_per_send_off",
                    "wire_bytes_per_send_takeover", "wire_bytes_per_send_no_takeover", "server_cpu_us_per_send_off",
                    "server_cpu_us_per_send_takeover", "server_cpu_us_per_send_no_takeover",
                    "bytes_per_conn_after_gc_off", "bytes_per_conn_after_gc_takeover",
                    "bytes_per_conn_after_gc_no_takeover", "text_chars_mean")));

    private Scenarios() {
    }

    /** @throws IllegalArgumentException for a name that is not registered, listing the ones that are */
    static Spec of(String name) {
        for (Spec s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario " + name + " (known: " + names(false) + ")");
    }

    /** @param defaultsOnly only those a run without {@code --scenarios} takes */
    static List<String> names(boolean defaultsOnly) {
        return ALL.stream().filter(s -> !defaultsOnly || s.byDefault()).map(Spec::name).toList();
    }
}
