package com.matchbook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The Markdown page of a run: one table per scenario, then Matchbook against each peer and against the goals. */
final class Report {
    private static final String[] PEERS = {"socketio", "ws", "netty"};
    private static final String[] MATCHBOOKS = {"matchbook", "matchbook-disk"};

    private final List<Map<String, Object>> results;
    private final StringBuilder md = new StringBuilder();

    private Report(List<Map<String, Object>> results) {
        this.results = results;
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> doc, Sizes sizes) {
        Report r = new Report((List<Map<String, Object>>) doc.get("results"));
        Map<String, Object> gen = (Map<String, Object>) doc.get("generator");
        r.md.append("# Benchmark: ").append(sizes.name()).append(" run\n\n")
                .append("- date: ").append(doc.get("date")).append('\n')
                .append("- command: `").append(doc.get("command")).append("`\n")
                .append("- machine: ").append(((Map<String, Object>) doc.get("machine")).get("summary")).append('\n')
                .append("- servers pinned to core 0, generator to core 1; JVM servers (Matchbook and Netty): `")
                .append(String.join(" ", ServerKind.JVM_FLAGS)).append("` plus `")
                .append(String.join(" ", ServerKind.FOOTPRINT_HEAP)).append("` for idle and `")
                .append(String.join(" ", ServerKind.LOAD_HEAP)).append("` for the others\n")
                .append("- Matchbook: `").append(String.join(" ", ServerKind.MATCHBOOK_LIMITS)).append("`\n")
                .append("- generator CPU: highest ").append(gen.get("cpu_pct_max")).append("% of its core")
                .append(gen.get("saturated").equals(List.of()) ? ", never saturated"
                        : "; saturated (>= 90%) in: " + gen.get("saturated"))
                .append('\n')
                .append("- phases where other processes or interrupts took >= 20% of a core (noisy): ")
                .append(gen.get("noisy").equals(List.of()) ? "none" : gen.get("noisy"))
                .append("\n\n");
        r.table("idle", "bytes_per_conn", "bytes_per_conn_after_gc", "idle_cpu_pct", "connections",
                "generator_cpu_pct");
        r.table("p2p", "throughput_msgs_s", "p50_ms", "p99_ms", "lost", "generator_cpu_pct",
                "generator_cpu_pct_at_throughput", "server_cpu_pct_at_throughput", "stopped_by");
        r.table("broadcast", "max_clients_p95_500ms", "broadcast_via", "generator_cpu_pct", "server_cpu_pct",
                "stopped_by");
        r.table("storm", "reconnect_all_s", "reconnect_p50_s", "reconnect_p95_s", "lost", "accepted", "server_ready_s",
                "generator_cpu_pct");
        r.table("slow", "healthy_p99_ratio", "baseline_p99_ms", "healthy_p99_ms", "lost",
                "stopped_clients_still_open", "generator_cpu_pct");
        r.ratios();
        r.goals(sizes);
        r.errors();
        return r.md.toString();
    }

    private Map<String, Object> find(String scenario, String server) {
        for (Map<String, Object> res : results) {
            if (scenario.equals(res.get("scenario")) && server.equals(res.get("server"))) {
                return res;
            }
        }
        return null;
    }

    private Object value(String scenario, String server, String key) {
        Map<String, Object> res = find(scenario, server);
        return res == null ? null : res.get(key);
    }

    private void table(String scenario, String... keys) {
        List<Map<String, Object>> rows = results.stream().filter(x -> scenario.equals(x.get("scenario"))).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("## ").append(scenario).append("\n\n| server | ").append(String.join(" | ", keys)).append(" |\n|---");
        md.append("|---".repeat(keys.length)).append("|\n");
        for (Map<String, Object> row : rows) {
            md.append("| ").append(row.get("server"));
            for (String k : keys) {
                String v = Objects.toString(row.get(k), "").replace("|", "/");
                if (k.equals("max_clients_p95_500ms") && Boolean.TRUE.equals(row.get("capped"))) {
                    v = ">= " + v + " (cap)";
                }
                md.append(" | ").append(row.containsKey("error") && k.equals(keys[0]) ? "ERROR" : v);
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    /** Matchbook's figure over each peer's, for the figures the goals are written in. */
    private void ratios() {
        String[][] metrics = {{"p2p", "throughput_msgs_s", "higher"}, {"p2p", "p99_ms", "lower"},
            {"idle", "bytes_per_conn", "lower"}, {"broadcast", "max_clients_p95_500ms", "higher"},
            {"storm", "reconnect_all_s", "lower"}, {"slow", "healthy_p99_ratio", "lower"}};
        md.append("## Matchbook / peer\n\n| figure | better | ");
        List<String> cols = new ArrayList<>();
        for (String mb : MATCHBOOKS) {
            for (String peer : PEERS) {
                cols.add(mb + " / " + peer);
            }
        }
        md.append(String.join(" | ", cols)).append(" |\n|---|---").append("|---".repeat(cols.size())).append("|\n");
        for (String[] m : metrics) {
            md.append("| ").append(m[0]).append(' ').append(m[1]).append(" | ").append(m[2]);
            for (String mb : MATCHBOOKS) {
                for (String peer : PEERS) {
                    md.append(" | ").append(fmt(ratio(m[0], m[1], mb, peer)));
                }
            }
            md.append(" |\n");
        }
        md.append("\nA broadcast figure at the cap is a floor, and so is a ratio made with it.\n\n");
    }

    private Double ratio(String scenario, String key, String a, String b) {
        Object x = value(scenario, a, key);
        Object y = value(scenario, b, key);
        if (x instanceof Number nx && y instanceof Number ny && ny.doubleValue() != 0) {
            return nx.doubleValue() / ny.doubleValue();
        }
        return null;
    }

    private void goals(Sizes sizes) {
        md.append("## Goals\n\n| goal | ").append(String.join(" | ", MATCHBOOKS)).append(" |\n|---|---|---|\n");
        goal("p2p throughput >= 3x socketio", mb -> atLeast(ratio("p2p", "throughput_msgs_s", mb, "socketio"), 3));
        goal("p2p throughput >= 1.3x ws", mb -> atLeast(ratio("p2p", "throughput_msgs_s", mb, "ws"), 1.3));
        goal("p2p throughput >= 0.8x netty", mb -> atLeast(ratio("p2p", "throughput_msgs_s", mb, "netty"), 0.8));
        goal("p99 at 5k msg/s < 10 ms", mb -> below(value("p2p", mb, "p99_ms"), 10));
        goal("idle bytes/conn <= 0.35x socketio", mb -> below(ratio("idle", "bytes_per_conn", mb, "socketio"), 0.35));
        goal("idle bytes/conn <= ws", mb -> below(ratio("idle", "bytes_per_conn", mb, "ws"), 1.0));
        goal("broadcast max clients >= 1.5x ws", mb -> {
            String s = atLeast(ratio("broadcast", "max_clients_p95_500ms", mb, "ws"), 1.5);
            // At the cap the figure is a floor: a ratio under the goal then says nothing either way.
            return Boolean.TRUE.equals(value("broadcast", mb, "capped")) && s.endsWith("NOT met")
                    ? ">= " + s.replace(" NOT met", "") + " unknown (capped)" : s;
        });
        long limit = sizes.stormDeadline().toSeconds();
        goal("storm all back within " + limit + " s", mb -> below(value("storm", mb, "reconnect_all_s"), limit));
        goal("storm 0 lost", mb -> below(value("storm", mb, "lost"), 0.5));
        goal("slow healthy p99 ratio <= 1.1", mb -> below(value("slow", mb, "healthy_p99_ratio"), 1.1));
        md.append('\n');
    }

    private void goal(String name, java.util.function.Function<String, String> check) {
        md.append("| ").append(name);
        for (String mb : MATCHBOOKS) {
            md.append(" | ").append(check.apply(mb));
        }
        md.append(" |\n");
    }

    private static String atLeast(Double x, double min) {
        return x == null ? "n/a" : fmt(x) + (x >= min ? " met" : " NOT met");
    }

    private static String below(Object v, double max) {
        if (!(v instanceof Number n)) {
            return "n/a";
        }
        return fmt(n.doubleValue()) + (n.doubleValue() <= max ? " met" : " NOT met");
    }

    private static String fmt(Double x) {
        if (x == null) {
            return "n/a";
        }
        return x == Math.rint(x) && Math.abs(x) >= 10 ? Long.toString(x.longValue()) : String.format("%.2f", x);
    }

    private void errors() {
        List<Map<String, Object>> failed = results.stream().filter(x -> x.containsKey("error")).toList();
        if (failed.isEmpty()) {
            return;
        }
        md.append("## Broken runs\n\n");
        for (Map<String, Object> f : failed) {
            md.append("- ").append(f.get("scenario")).append(" / ").append(f.get("server")).append(": ")
                    .append(f.get("error")).append('\n');
        }
        md.append('\n');
    }
}
