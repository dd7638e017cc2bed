package com.matchbook.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Markdown page of a run: one table per scenario, then Matchbook against each peer and against the goals.
 * With {@code --repeat N} every figure is the median of the N repetitions with its range, and every ratio is taken
 * within a repetition first (see {@link Runs}, {@link Goals}).
 */
final class Report {
    private static final String[] REDIS_KINDS = {"matchbook-redis", "matchbook-redis-always"};

    private final Runs runs;
    private final List<Map<String, Object>> results;
    private final StringBuilder md = new StringBuilder();

    private Report(List<Map<String, Object>> results, int repeat) {
        this.results = results;
        this.runs = new Runs(results, repeat);
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> doc, Sizes sizes) {
        int repeat = doc.get("repeat") instanceof Number n ? n.intValue() : 1;
        Report r = new Report((List<Map<String, Object>>) doc.get("results"), repeat);
        Map<String, Object> gen = (Map<String, Object>) doc.get("generator");
        r.md.append("# Benchmark: ").append(sizes.name()).append(" run\n\n")
                .append("- date: ").append(doc.get("date")).append('\n')
                .append("- command: `").append(doc.get("command")).append("`\n")
                .append("- machine: ").append(((Map<String, Object>) doc.get("machine")).get("summary")).append('\n');
        if (doc.get("backoff_draws") != null) {
            r.md.append("- clients' backoff draws (storm and every reconnect): ").append(doc.get("backoff_draws"))
                    .append('\n');
        }
        if (repeat > 1) {
            r.md.append("- repetitions: ").append(repeat).append(" (each one every server and scenario in turn);")
                    .append(" every figure is the median of the ").append(repeat).append(" runs with their range")
                    .append(" in brackets, every ratio is taken within a run, then its median; a goal is met when")
                    .append(" it holds in the median\n");
        }
        r.md.append("- servers pinned to core 0, generator to core 1; JVM servers (Matchbook and Netty): `")
                .append(String.join(" ", ServerKind.JVM_FLAGS)).append("` plus `")
                .append(String.join(" ", ServerKind.FOOTPRINT_HEAP)).append("` for idle and compression, `")
                .append(String.join(" ", ServerKind.LOAD_HEAP)).append("` for the others, except Matchbook under")
                .append(" load, which runs with `./run.sh`'s production collector and heap: `")
                .append(String.join(" ", ServerKind.MATCHBOOK_LOAD_JVM)).append(" ")
                .append(String.join(" ", ServerKind.COMMON_JVM_FLAGS)).append("`\n")
                .append("- Matchbook: `").append(String.join(" ", ServerKind.MATCHBOOK_LIMITS)).append("`\n")
                .append("- generator CPU: highest ").append(gen.get("cpu_pct_max")).append("% of its core")
                .append(gen.get("saturated").equals(List.of()) ? ", never saturated"
                        : "; saturated (>= 90%) in: " + gen.get("saturated"))
                .append('\n')
                .append("- phases where other processes or interrupts took >= 20% of a core (noisy): ")
                .append(gen.get("noisy").equals(List.of()) ? "none" : gen.get("noisy"))
                .append('\n');
        if (gen.get("late_storms") instanceof List<?> late && !late.isEmpty()) {
            r.md.append("- storms whose reconnect timers the generator ran >= ").append((int) Main.LATE_BACKOFF_MS)
                    .append(" ms late at the median or >= ").append((int) Main.LATE_BACKOFF_P95_MS)
                    .append(" ms at p95 (their all-back time is the generator's, not the server's): ")
                    .append(late).append('\n');
        }
        if (doc.get("charts") instanceof List<?> charts && !charts.isEmpty()) {
            r.md.append("- charts (drawn by bench/run from this file's JSON): ");
            List<String> links = new ArrayList<>();
            for (Object c : charts) {
                links.add("[" + c + "](" + c + ")");
            }
            r.md.append(String.join(", ", links)).append('\n');
        }
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
        for (Scenarios.Spec spec : Scenarios.ALL) {
            r.table(spec.name(), spec.table());
        }
        r.ratios();
        r.goals(sizes);
        r.twoNodes();
        r.skipped();
        r.errors();
        return r.md.toString();
    }

    /** The row standing for every repetition of the pair (see {@link Runs#medianRow}), or null. */
    private Map<String, Object> find(String scenario, String server) {
        return runs.medianRow(scenario, server, Scenarios.of(scenario).table().get(0));
    }

    private void table(String scenario, List<String> keys) {
        List<String> servers = runs.servers(scenario).stream().filter(s -> runs.ran(scenario, s)).toList();
        if (servers.isEmpty()) {
            return;
        }
        md.append("## ").append(scenario).append("\n\n| server | ").append(String.join(" | ", keys)).append(" |\n|---");
        md.append("|---".repeat(keys.size())).append("|\n");
        for (String server : servers) {
            Map<String, Object> row = find(scenario, server);
            long broken = runs.broken(scenario, server);
            md.append("| ").append(server);
            if (broken > 0 && runs.repeat > 1) {
                md.append(" (").append(broken).append(" of ").append(runs.repeat).append(" broken)");
            }
            boolean allBroken = row.containsKey("error");
            for (String k : keys) {
                String v;
                if (allBroken) {
                    v = k.equals(keys.get(0)) ? "ERROR" : "";
                } else if (row.get(k) instanceof Number) {
                    v = runs.repeat > 1 ? runs.figure(scenario, server, k).text()
                            : Objects.toString(row.get(k), "");
                } else {
                    v = Objects.toString(row.get(k), "").replace("|", "/");
                }
                if (k.equals("max_clients_p95_500ms") && Boolean.TRUE.equals(row.get("capped"))) {
                    v = ">= " + v + " (cap)";
                }
                md.append(" | ").append(v);
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    /** Matchbook's figure over each peer's, for the figures the goals are written in. */
    private void ratios() {
        md.append("## Matchbook / peer\n\n");
        if (runs.repeat > 1) {
            md.append("Each ratio is taken within one run, then the median of the ").append(runs.repeat)
                    .append(" is shown with their range.\n\n");
        }
        md.append("| figure | better | ");
        List<String> cols = new ArrayList<>();
        for (String mb : Goals.MATCHBOOKS) {
            for (String peer : Goals.PEERS) {
                cols.add(mb + " / " + peer);
            }
        }
        md.append(String.join(" | ", cols)).append(" |\n|---|---").append("|---".repeat(cols.size())).append("|\n");
        for (Goals.Ratio m : Goals.RATIOS) {
            md.append("| ").append(m.scenario()).append(' ').append(m.key()).append(" | ").append(m.better());
            for (String mb : Goals.MATCHBOOKS) {
                for (String peer : Goals.PEERS) {
                    md.append(" | ").append(runs.ratio(m.scenario(), m.key(), mb, peer).text());
                }
            }
            md.append(" |\n");
        }
        md.append("\nA broadcast figure at the cap is a floor, and so is a ratio made with it.\n\n");
    }

    /** Issue 14's goals, one row each, "-" where a goal is not set for a store. */
    private void goals(Sizes sizes) {
        md.append("## Goals\n\n");
        md.append(runs.repeat > 1 ? "Ratios within each run, median of the " + runs.repeat + " runs (range in"
                + " brackets); a goal is met when it holds in the median, and the slow goal in every run.\n\n"
                : "One run: the goals are set on the median of three (`--repeat 3`); this shows one sample.\n\n");
        md.append("| goal | ").append(String.join(" | ", Goals.MATCHBOOKS)).append(" |\n|---")
                .append("|---".repeat(Goals.MATCHBOOKS.size())).append("|\n");
        Set<String> names = new LinkedHashSet<>();
        List<Goals.Verdict> verdicts = Goals.judge(runs, sizes);
        verdicts.forEach(v -> names.add(v.goal().name()));
        for (String name : names) {
            md.append("| ").append(name);
            for (String mb : Goals.MATCHBOOKS) {
                md.append(" | ").append(verdicts.stream()
                        .filter(v -> v.goal().name().equals(name) && v.store().equals(mb))
                        .map(Goals.Verdict::text).findFirst().orElse("-"));
            }
            md.append(" |\n");
        }
        md.append('\n');
    }

    private static String fmt(Double x) {
        return Spread.fmt(x);
    }

    private Double ratio(String scenario, String key, String a, String b) {
        return runs.ratio(scenario, key, a, b).median();
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
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> x : results) {
            if (x.containsKey("skipped")) {
                seen.add("- " + x.get("scenario") + " / " + x.get("server") + ": " + x.get("skipped"));
            }
        }
        if (seen.isEmpty()) {
            return;
        }
        md.append("## Skipped\n\n");
        seen.forEach(line -> md.append(line).append('\n'));
        md.append('\n');
    }

    private void errors() {
        List<Map<String, Object>> failed = results.stream().filter(x -> x.containsKey("error")).toList();
        if (failed.isEmpty()) {
            return;
        }
        md.append("## Broken runs\n\n");
        for (Map<String, Object> f : failed) {
            md.append("- ").append(f.get("scenario")).append(" / ").append(f.get("server"))
                    .append(runs.repeat > 1 ? " (run " + Runs.repetitionOf(f) + ")" : "").append(": ")
                    .append(f.get("error")).append('\n');
        }
        md.append('\n');
    }
}
