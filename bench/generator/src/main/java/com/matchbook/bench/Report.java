package com.matchbook.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The Markdown page of a run: one table per scenario, then Matchbook against each peer and against the goals. */
final class Report {
    private static final String[] PEERS = {"socketio", "ws", "netty"};
    private static final String[] MATCHBOOKS = {"matchbook", "matchbook-disk"};
    private static final String[] REDIS_KINDS = {"matchbook-redis", "matchbook-redis-always"};

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
                .append('\n');
        if (r.results.stream().anyMatch(x -> String.valueOf(x.get("server")).startsWith("matchbook-redis"))) {
            r.md.append("- matchbook-redis: redis-server (`--save '' --appendonly yes --appendfsync everysec`;")
                    .append(" `always` for matchbook-redis-always) and two Matchbook nodes with")
                    .append(" `-Dmatchbook.broker=redis` and the flags above")
                    .append(ServerKind.REDIS_NODE_FLAGS.isEmpty() ? "" : " plus `" + String.join(" ",
                            ServerKind.REDIS_NODE_FLAGS) + "` (a work-around for a wedge on one core, see bench/README)")
                    .append(", **all three pinned together to core 0**,")
                    .append(" the one core every other server gets; clients alternate between the nodes (even user")
                    .append(" ids on node-a, odd on node-b)\n");
        }
        r.md.append('\n');
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
        r.twoNodes();
        r.skipped();
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
        List<Map<String, Object>> rows = results.stream()
                .filter(x -> scenario.equals(x.get("scenario")) && !x.containsKey("skipped")).toList();
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

    /**
     * The scale-out question: two nodes sharing Redis against one node with the embedded store, in p2p. Both sides
     * have one core, so this is what the Redis engine costs on the same hardware, not what a second machine adds.
     */
    private void twoNodes() {
        Map<String, Object> disk = find("p2p", "matchbook-disk");
        List<String> redisKinds = new ArrayList<>();
        for (String k : REDIS_KINDS) {
            Map<String, Object> x = find("p2p", k);
            if (x != null && !x.containsKey("skipped")) {
                redisKinds.add(k);
            }
        }
        if (disk == null || redisKinds.isEmpty()) {
            return;
        }
        md.append("## Two nodes with Redis / one node with the embedded store (p2p)\n\n")
                .append("Redis and both nodes share core 0, as the single node has it alone: the same hardware, so")
                .append(" this is the price of the Redis engine, not the gain of a second machine. Every message")
                .append(" goes through Redis (the append script stores it and publishes it to the recipient's")
                .append(" node, also when that is the sender's node).\n\n")
                .append("| figure | better | matchbook-disk");
        for (String k : redisKinds) {
            md.append(" | ").append(k);
        }
        for (String k : redisKinds) {
            md.append(" | ").append(k).append(" / matchbook-disk");
        }
        md.append(" |\n|---|---|---").append("|---".repeat(redisKinds.size() * 2)).append("|\n");
        String[][] rows = {{"throughput_msgs_s", "higher"}, {"p50_ms", "lower"}, {"p99_ms", "lower"},
            {"p999_ms", "lower"}, {"lost", "lower"}, {"server_cpu_pct", "lower"}};
        for (String[] row : rows) {
            String label = row[0].equals("throughput_msgs_s") ? row[0]
                    : row[0] + " at " + disk.getOrDefault("fixed_rate_msgs_s", "5000") + " msg/s";
            md.append("| ").append(label).append(" | ").append(row[1]).append(" | ").append(cell(disk, row[0]));
            for (String k : redisKinds) {
                md.append(" | ").append(cell(find("p2p", k), row[0]));
            }
            for (String k : redisKinds) {
                md.append(" | ").append(row[0].equals("lost") ? "" : fmt(ratio("p2p", row[0], k, "matchbook-disk")));
            }
            md.append(" |\n");
        }
        md.append('\n');
        for (String k : redisKinds) {
            Map<String, Object> x = find("p2p", k);
            md.append("- ").append(k).append(": ");
            if (x.containsKey("error")) {
                md.append("ERROR ").append(x.get("error")).append('\n');
                continue;
            }
            Object rate = x.getOrDefault("fixed_rate_msgs_s", 5000);
            if (x.get("steps") instanceof List<?> steps) {
                for (Object o : steps) {
                    if (o instanceof Map<?, ?> st && st.get("offered_msgs_s") instanceof Number n
                            && rate instanceof Number f && n.longValue() == f.longValue()) {
                        md.append("the later ").append(rate).append(" msg/s step (after the failed higher ones, longer")
                                .append(" warmed up): p50 ").append(st.get("p50_ms")).append(" ms, p99 ")
                                .append(st.get("p99_ms")).append(" ms, CPU ").append(st.get("server_cpu_pct"))
                                .append("%").append(st.containsKey("failed") ? " (failed: " + st.get("failed") + ")" : "")
                                .append("; ");
                    }
                }
            }
            md.append("share of messages to a user on the other node ").append(x.get("cross_node_share"))
                    .append("; CPU at the fixed rate by process ").append(x.get("server_cpu_pct_by_process"))
                    .append("; stopped by ").append(x.get("stopped_by"));
            if (x.get("redis") instanceof Map<?, ?> redis) {
                md.append("; Redis ").append(redis.get("version")).append(" appendfsync ")
                        .append(redis.get("appendfsync")).append(", ").append(redis.get("used_memory_mb"))
                        .append(" MB used, AOF ").append(redis.get("aof_size_mb")).append(" MB, ")
                        .append(redis.get("aof_delayed_fsync")).append(" delayed fsyncs");
            }
            if (x.containsKey("server_log_problems")) {
                md.append("; ").append(x.get("server_log_problems")).append(" warning/error lines in the nodes' logs,")
                        .append(" first: `").append(String.valueOf(x.get("server_log_first_problem")).replace("`", "'"))
                        .append('`');
            }
            md.append('\n');
        }
        md.append("- matchbook-disk: stopped by ").append(disk.get("stopped_by")).append("\n\n");
    }

    private static String cell(Map<String, Object> x, String key) {
        if (x == null) {
            return "n/a";
        }
        if (x.containsKey("error")) {
            return "ERROR";
        }
        return Objects.toString(x.get(key), "").replace("|", "/");
    }

    private void skipped() {
        List<Map<String, Object>> skipped = results.stream().filter(x -> x.containsKey("skipped")).toList();
        if (skipped.isEmpty()) {
            return;
        }
        md.append("## Skipped\n\n");
        for (Map<String, Object> x : skipped) {
            md.append("- ").append(x.get("scenario")).append(" / ").append(x.get("server")).append(": ")
                    .append(x.get("skipped")).append('\n');
        }
        md.append('\n');
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
