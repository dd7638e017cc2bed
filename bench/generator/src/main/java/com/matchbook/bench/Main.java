package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar generator.jar quick|full|smoke [--servers a,b] [--scenarios x,y] [--repeat N] [--command "..."]},
 * run by bench/run on core 1. Runs every scenario against every server in turn, each on a freshly started server,
 * N times over (each repetition a whole pass), and writes results/{quick,full,smoke}.json and .md. A scenario that
 * breaks is recorded with its error instead of figures, and the exit status is then 1; a wrong argument exits 2.
 */
public final class Main {
    static final String USAGE = "usage: bench/run quick|full|smoke [--servers a,b] [--scenarios x,y] [--repeat N]";

    /** Background load tolerated before a scenario starts (both cores, averaged). */
    static final double QUIET_BUSY_PCT = 15;

    /**
     * A storm whose reconnect timers fired this late at the median is flagged: its clients failed fewer attempts
     * while the server was down than their draws say, so its crowd came back sooner than it would have against a
     * punctual generator (0.1-0.4 ms in a warm generator; 7-121 ms in the storms this changed, docs/performance.md
     * "The first storm of a run: rehearsed").
     */
    static final double LATE_BACKOFF_MS = 5;
    /**
     * The same at the 95th percentile: a storm of 2026-12-07 came back 3.4 s before ws's on the same draws with its
     * timers on time at the median (0.14 ms) but 295 ms late at p95, its median client failing one attempt fewer.
     * Late storms seen so far had 270-450 ms at p95, storms that came back with the others up to 225 ms: a thin
     * margin, so this flags, it does not prove (docs/performance.md, "Rehearsed until punctual").
     */
    static final double LATE_BACKOFF_P95_MS = 250;
    /** Core time used by others during a measured phase past which its figures are flagged as noisy. */
    static final double NOISY_PCT = 20;

    /** Chart files bench/run draws from the JSON (bench/charts/render.mjs), by the scenario whose data they show. */
    static final Map<String, String> CHARTS = Map.of("p2p", "p2p-p99.svg", "idle", "idle-rss.svg");

    private Main() {
    }

    /** What the command line asks for. */
    record Options(Sizes sizes, List<String> servers, List<String> scenarios, int repeat, String command) {
        /** @throws IllegalArgumentException saying what is wrong with the arguments */
        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no size given");
            }
            Sizes sizes = Sizes.of(args[0]);
            List<String> servers = sizes.defaultServers();
            List<String> scenarios = Scenarios.names(true);
            int repeat = 1;
            String command = "bench/run " + String.join(" ", args);
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--servers" -> servers = Arrays.asList(value.split(","));
                    case "--scenarios" -> scenarios = Arrays.asList(value.split(","));
                    case "--repeat" -> {
                        try {
                            repeat = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            repeat = 0;
                        }
                        if (repeat < 1) {
                            throw new IllegalArgumentException("--repeat needs a whole number >= 1, not " + value);
                        }
                    }
                    case "--command" -> command = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            servers.forEach(ServerKind::of);
            scenarios.forEach(Scenarios::of);
            return new Options(sizes, servers, scenarios, repeat, command);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench/run: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        Sizes sizes = o.sizes();
        Duration quietWait = quietWait(sizes);
        Path bench = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath().normalize();
        Path tmp = bench.resolve("results/tmp");
        Files.createDirectories(tmp);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Machine.describe(bench));
        doc.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        doc.put("command", o.command());
        doc.put("repeat", o.repeat());
        doc.put("jvm_server_flags", Map.of("all", String.join(" ", ServerKind.JVM_FLAGS),
                "idle", String.join(" ", ServerKind.FOOTPRINT_HEAP),
                "other_scenarios", String.join(" ", ServerKind.LOAD_HEAP),
                "matchbook_other_scenarios", String.join(" ", ServerKind.MATCHBOOK_LOAD_JVM) + " "
                        + String.join(" ", ServerKind.COMMON_JVM_FLAGS)));
        doc.put("matchbook_flags", String.join(" ", ServerKind.MATCHBOOK_LIMITS)
                + "; matchbook: -Dmatchbook.store=memory; matchbook-disk, -journal, -tiered: -Dmatchbook.store=disk,"
                + " journal or tiered, -Dmatchbook.data-dir=<fresh temp dir>"
                + "; matchbook-redis(-always): two nodes, each -Dmatchbook.broker=redis"
                + " -Dmatchbook.redis.uri=redis://127.0.0.1:<free port> -Dmatchbook.data-dir=<own fresh temp dir> "
                + String.join(" ", ServerKind.REDIS_NODE_FLAGS));
        if (o.servers().stream().map(ServerKind::of).anyMatch(ServerKind::redis)) {
            doc.put("redis_flags", "--save '' --appendonly yes --appendfsync everysec (matchbook-redis) or always"
                    + " (matchbook-redis-always), --dir <fresh temp dir>; redis-server and both nodes pinned"
                    + " together to core 0, the generator to core 1");
        }
        List<String> charts = new ArrayList<>();
        for (String scenario : o.scenarios()) {
            if (CHARTS.containsKey(scenario)) {
                charts.add(sizes.name() + "-" + CHARTS.get(scenario));
            }
        }
        doc.put("charts", charts);
        if (o.servers().stream().map(ServerKind::of).anyMatch(k -> k.jvm && k.id.startsWith("matchbook"))) {
            AotCache.prepare(bench, tmp, tmp.resolve("logs/matchbook-aot-training.log"));
        }
        doc.put("matchbook_aot_cache", AotCache.describe());
        List<Map<String, Object>> results = new ArrayList<>();
        long started = System.nanoTime();
        long drawBase = Long.getLong("bench.backoff-draws", 0);
        doc.put("backoff_draws", "repetition r draws set " + drawBase + " + r (-Dbench.backoff-draws=base)");
        for (int rep = 1; rep <= o.repeat(); rep++) {
            if (o.repeat() > 1) {
                System.out.printf("-- run %d of %d%n", rep, o.repeat());
            }
            Client.useDrawSet(drawBase + rep);
            for (String server : o.servers()) {
                for (String scenario : o.scenarios()) {
                    Map<String, Object> r = runOne(ServerKind.of(server), scenario, sizes, bench, tmp, quietWait);
                    Map<String, Object> numbered = new LinkedHashMap<>();
                    numbered.put("repetition", rep);
                    numbered.putAll(r);
                    results.add(numbered);
                    Files.writeString(tmp.resolve("partial.json"), Json.write(results));
                }
            }
        }
        Runs runs = new Runs(results, o.repeat());
        doc.put("generator", generatorSummary(results, o.repeat()));
        doc.put("duration_s", Math.round((System.nanoTime() - started) / 1e9));
        doc.put("summary", runs.summary());
        doc.put("ratios", Goals.ratiosJson(runs));
        doc.put("goals", Goals.judge(runs, sizes).stream().map(Goals.Verdict::json).toList());
        doc.put("results", results);
        Path json = bench.resolve("results/" + sizes.name() + ".json");
        Files.writeString(json, Json.write(doc));
        Files.writeString(bench.resolve("results/" + sizes.name() + ".md"), Report.markdown(doc, sizes));
        long broken = results.stream().filter(r -> r.containsKey("error")).count();
        System.out.println("wrote " + json + " and .md in " + doc.get("duration_s") + " s; " + broken + " broken");
        System.exit(broken > 0 ? 1 : 0);
    }

    /**
     * Whether a storm's reconnect timers ran late: {@link #LATE_BACKOFF_MS} or more at the median, or
     * {@link #LATE_BACKOFF_P95_MS} or more at p95. A storm with no timer (results older than the figure, or no
     * client that needed one) is not late.
     */
    static boolean lateTimers(Map<String, Object> storm) {
        return storm.get("backoff_late_ms_p50") instanceof Number p50 && p50.doubleValue() >= LATE_BACKOFF_MS
                || storm.get("backoff_late_ms_p95") instanceof Number p95 && p95.doubleValue() >= LATE_BACKOFF_P95_MS;
    }

    /** How long to wait for a quiet machine before a scenario: the size's wait, or {@code -Dbench.quiet-wait-s}. */
    static Duration quietWait(Sizes sizes) {
        return Duration.ofSeconds(Long.getLong("bench.quiet-wait-s", sizes.quietWait().toSeconds()));
    }

    private static Map<String, Object> runOne(ServerKind kind, String name, Sizes sizes, Path bench, Path tmp,
                                              Duration quietWait) throws IOException, InterruptedException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", name);
        r.put("server", kind.id);
        long t = System.nanoTime();
        System.out.printf("== %s / %s%n", name, kind.id);
        String skip = kind.skips(name);
        if (skip != null) {
            r.put("skipped", skip);
            System.out.println("   skipped: " + skip);
            return r;
        }
        r.put("background_cpu_pct", Proc.awaitQuiet(QUIET_BUSY_PCT, quietWait));
        try (Context ctx = new Context(kind, sizes, bench, tmp, name)) {
            Runtime.getRuntime().addShutdownHook(ctx.hook());
            try {
                r.putAll(Scenarios.of(name).runner().run(ctx));
                if (ctx.server != null && !ctx.server.alive()) {
                    throw new IllegalStateException(kind.id + " died during the scenario: " + ctx.server.dead()
                            + " (see " + ctx.log() + ")");
                }
            } catch (Exception e) {
                r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                e.printStackTrace();
            } finally {
                if (kind.redis() && ctx.server != null && ctx.server.alive()) {
                    r.put("redis", ctx.server.redisInfo());
                }
                List<String> problems = ctx.logProblems();
                if (!problems.isEmpty()) {
                    r.put("server_log_problems", problems.size());
                    r.put("server_log_first_problem", problems.get(0));
                }
                List<String> redisWarnings = ctx.redisWarnings();
                if (!redisWarnings.isEmpty()) {
                    r.put("redis_log_warnings", redisWarnings.size());
                    r.put("redis_log_first_warning", redisWarnings.get(0));
                }
                Runtime.getRuntime().removeShutdownHook(ctx.hook());
            }
        }
        r.put("scenario_s", Math.round((System.nanoTime() - t) / 1e9));
        System.out.println("   " + Json.write(withoutSteps(r)).replaceAll("\\s*\n\\s*", " "));
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> withoutSteps(Map<String, Object> r) {
        Map<String, Object> copy = new LinkedHashMap<>(r);
        copy.remove("steps");
        return copy;
    }

    static Map<String, Object> generatorSummary(List<Map<String, Object>> results, int repeat) {
        double max = 0;
        List<String> saturated = new ArrayList<>();
        for (Map<String, Object> r : results) {
            List<Map<String, Object>> phases = new ArrayList<>(List.of(r));
            if (r.get("steps") instanceof List<?> steps) {
                steps.forEach(s -> phases.add(castMap(s)));
            }
            for (Map<String, Object> phase : phases) {
                if (phase.get("generator_cpu_pct") instanceof Number n) {
                    max = Math.max(max, n.doubleValue());
                    if (n.doubleValue() >= 90) {
                        saturated.add(r.get("scenario") + "/" + r.get("server")
                                + (repeat > 1 ? " run " + Runs.repetitionOf(r) : "")
                                + (phase == r ? "" : " step " + phase.getOrDefault("offered_msgs_s",
                                phase.get("clients"))) + " (" + n + "%)");
                    }
                }
            }
        }
        List<String> noisy = new ArrayList<>();
        for (Map<String, Object> r : results) {
            for (String key : List.of("other_cpu_core0_pct", "other_cpu_core1_pct")) {
                if (r.get(key) instanceof Number n && n.doubleValue() >= NOISY_PCT) {
                    noisy.add(r.get("scenario") + "/" + r.get("server")
                            + (repeat > 1 ? " run " + Runs.repetitionOf(r) : "") + " (" + key + " " + n + ")");
                }
            }
        }
        List<String> lateStorms = new ArrayList<>();
        for (Map<String, Object> r : results) {
            if ("storm".equals(r.get("scenario")) && lateTimers(r)) {
                Object p95 = r.get("backoff_late_ms_p95");
                lateStorms.add("storm/" + r.get("server") + (repeat > 1 ? " run " + Runs.repetitionOf(r) : "")
                        + " (" + r.get("backoff_late_ms_p50") + " ms at p50" + (p95 != null ? ", " + p95 + " ms at p95"
                        : "") + ")");
            }
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("cpu_pct_max", max);
        g.put("saturated", saturated);
        g.put("noisy", noisy);
        g.put("late_storms", lateStorms);
        g.put("how", "Netty " + io.netty.util.Version.identify().getOrDefault("netty-common",
                null).artifactVersion() + " " + Load.transport() + " sockets on one event loop, WebSocket"
                + " upgrade and framing by hand, pinned to core 1;"
                + " CPU from /proc/self/stat over each measured phase, in % of one core");
        g.put("jvm", System.getProperty("java.vm.version") + " " + String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return g;
    }
}
