package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar generator.jar quick|full [--servers a,b] [--scenarios x,y] [--command "..."]}, run by bench/run
 * on core 1. Runs every scenario against every server in turn, each on a freshly started server, and writes
 * results/{quick,full}.json and .md. A scenario that breaks is recorded with its error instead of figures, and
 * the exit status is then 1.
 */
public final class Main {
    static final List<String> SCENARIOS = List.of("idle", "p2p", "broadcast", "storm", "slow");
    /**
     * The servers of a run without {@code --servers}. The Redis kinds ({@code matchbook-redis},
     * {@code matchbook-redis-always}) are left out: with them the quick run would no longer fit in 10 minutes.
     */
    static final List<String> SERVERS = List.of("matchbook", "matchbook-disk", "socketio", "ws", "netty");

    /** Background load tolerated before a scenario starts (both cores, averaged), and how long to wait for less. */
    static final double QUIET_BUSY_PCT = 15;
    static final java.time.Duration QUIET_WAIT = java.time.Duration.ofSeconds(
            Long.getLong("bench.quiet-wait-s", 30));

    /** Core time used by others during a measured phase past which its figures are flagged as noisy. */
    static final double NOISY_PCT = 20;

    private Main() {
    }

    interface Scenario {
        Map<String, Object> run(Context ctx) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: quick|full [--servers a,b] [--scenarios x,y] [--command text]");
            System.exit(2);
        }
        Sizes sizes = Sizes.of(args[0]);
        List<String> servers = SERVERS;
        List<String> scenarios = SCENARIOS;
        String command = "bench/run " + String.join(" ", args);
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--servers" -> servers = Arrays.asList(args[i + 1].split(","));
                case "--scenarios" -> scenarios = Arrays.asList(args[i + 1].split(","));
                case "--command" -> command = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        servers.forEach(ServerKind::of);
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("unknown scenario " + s);
            }
        }
        Path bench = Path.of(System.getProperty("bench.dir", "bench")).toAbsolutePath().normalize();
        Path tmp = bench.resolve("results/tmp");
        Files.createDirectories(tmp);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Machine.describe(bench));
        doc.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        doc.put("command", command);
        doc.put("jvm_server_flags", Map.of("all", String.join(" ", ServerKind.JVM_FLAGS),
                "idle", String.join(" ", ServerKind.FOOTPRINT_HEAP),
                "other_scenarios", String.join(" ", ServerKind.LOAD_HEAP)));
        doc.put("matchbook_flags", String.join(" ", ServerKind.MATCHBOOK_LIMITS)
                + "; matchbook: -Dmatchbook.store=memory; matchbook-disk: -Dmatchbook.data-dir=<fresh temp dir>"
                + "; matchbook-redis(-always): two nodes, each -Dmatchbook.broker=redis"
                + " -Dmatchbook.redis.uri=redis://127.0.0.1:<free port> -Dmatchbook.data-dir=<own fresh temp dir> "
                + String.join(" ", ServerKind.REDIS_NODE_FLAGS));
        if (servers.stream().map(ServerKind::of).anyMatch(ServerKind::redis)) {
            doc.put("redis_flags", "--save '' --appendonly yes --appendfsync everysec (matchbook-redis) or always"
                    + " (matchbook-redis-always), --dir <fresh temp dir>; redis-server and both nodes pinned"
                    + " together to core 0, the generator to core 1");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        long started = System.nanoTime();
        for (String server : servers) {
            for (String scenario : scenarios) {
                results.add(runOne(ServerKind.of(server), scenario, sizes, bench, tmp));
                Files.writeString(tmp.resolve("partial.json"), Json.write(results));
            }
        }
        doc.put("generator", generatorSummary(results));
        doc.put("duration_s", Math.round((System.nanoTime() - started) / 1e9));
        doc.put("results", results);
        Path json = bench.resolve("results/" + sizes.name() + ".json");
        Files.writeString(json, Json.write(doc));
        Files.writeString(bench.resolve("results/" + sizes.name() + ".md"), Report.markdown(doc, sizes));
        long broken = results.stream().filter(r -> r.containsKey("error")).count();
        System.out.println("wrote " + json + " and .md in " + doc.get("duration_s") + " s; " + broken + " broken");
        System.exit(broken > 0 ? 1 : 0);
    }

    private static Scenario scenario(String name) {
        return switch (name) {
            case "idle" -> IdleScenario::run;
            case "p2p" -> P2pScenario::run;
            case "broadcast" -> BroadcastScenario::run;
            case "storm" -> StormScenario::run;
            case "slow" -> SlowScenario::run;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Map<String, Object> runOne(ServerKind kind, String name, Sizes sizes, Path bench, Path tmp)
            throws IOException, InterruptedException {
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
        r.put("background_cpu_pct", Proc.awaitQuiet(QUIET_BUSY_PCT, QUIET_WAIT));
        try (Context ctx = new Context(kind, sizes, bench, tmp, name)) {
            Runtime.getRuntime().addShutdownHook(ctx.hook());
            try {
                r.putAll(scenario(name).run(ctx));
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

    private static Map<String, Object> generatorSummary(List<Map<String, Object>> results) {
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
                    noisy.add(r.get("scenario") + "/" + r.get("server") + " (" + key + " " + n + ")");
                }
            }
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("cpu_pct_max", max);
        g.put("saturated", saturated);
        g.put("noisy", noisy);
        g.put("how", "Netty " + io.netty.util.Version.identify().getOrDefault("netty-common",
                null).artifactVersion() + " " + Load.transport() + " sockets on one event loop, WebSocket"
                + " upgrade and framing by hand, pinned to core 1;"
                + " CPU from /proc/self/stat over each measured phase, in % of one core");
        g.put("jvm", System.getProperty("java.vm.version") + " " + String.join(" ",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return g;
    }
}
