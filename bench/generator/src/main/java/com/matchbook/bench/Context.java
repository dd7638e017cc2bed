package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * One scenario against one server: starts it fresh (with a fresh data dir), restarts it, and always stops it. For
 * the Redis kinds the "server" is Redis and two nodes, and the data dir holds Redis's dir and each node's.
 */
final class Context implements AutoCloseable {
    final ServerKind kind;
    final Sizes sizes;
    final Path bench;
    private final Path log;
    private final Path dataDir;
    private final boolean footprint;
    /** Redis's port for the Redis kinds (the same across a restart), 0 for the others. */
    private final int redisPort;
    ServerProcess server;
    /** Kills the server if the generator is stopped (Ctrl-C, SIGTERM) in the middle of a scenario. */
    private final Thread hook = new Thread(() -> {
        try {
            if (server != null) {
                server.kill();
            }
        } catch (InterruptedException ignored) {
            // exiting anyway
        }
    });

    private final Path tmp;

    Context(ServerKind kind, Sizes sizes, Path bench, Path tmp, String scenario) throws IOException {
        this.kind = kind;
        this.sizes = sizes;
        this.bench = bench;
        this.tmp = tmp;
        Files.createDirectories(tmp.resolve("logs"));
        this.log = tmp.resolve("logs").resolve(kind.id + "-" + scenario + ".log");
        for (Path l : ServerProcess.logs(kind, log).values()) {
            Files.deleteIfExists(l);
        }
        this.dataDir = Files.createTempDirectory(tmp, "data-" + kind.id + "-");
        // compression also reads memory per connection, so it too runs on the small starting heap
        this.footprint = scenario.equals("idle") || scenario.equals("compression");
        this.redisPort = kind.redis() ? ServerProcess.freePort() : 0;
    }

    /**
     * Another context for the same kind of server, with its own data dir and log ({@code <kind>-<scenario>.log}): a
     * server that shares nothing on disk with this one's. It listens on the same ports, so the two servers must never
     * run at once. The caller closes it (which kills its server and deletes its data dir), once.
     */
    Context sibling(String scenario) throws IOException {
        return new Context(kind, sizes, bench, tmp, scenario);
    }

    /** Starts the server (again, on the same ports and data dir) and waits until every port accepts. */
    ServerProcess start() throws IOException, InterruptedException {
        return start(new String[0]);
    }

    /**
     * {@link #start()} with extra server flags for this start only (Matchbook's {@code -D} settings, placed after the
     * common ones so they win), e.g. {@code -Dmatchbook.compression=true}.
     */
    ServerProcess start(String... extraFlags) throws IOException, InterruptedException {
        server = null;
        server = ServerProcess.start(kind, bench, dataDir, log, footprint, redisPort, Duration.ofSeconds(60),
                List.of(extraFlags));
        return server;
    }

    Thread hook() {
        return hook;
    }

    /** The server's log, or for a cluster the logs of its parts. */
    String log() {
        Map<String, Path> logs = ServerProcess.logs(kind, log);
        return logs.size() == 1 ? log.toString() : logs.values().toString();
    }

    /** The log of a single-process server (where {@link GcLog} reads a JVM's collections); null for a cluster. */
    Path singleLog() {
        return ServerProcess.logs(kind, log).size() == 1 ? log : null;
    }

    static List<Client> clients(int from, int to, IntPredicate slow) {
        List<Client> list = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            list.add(new Client(i, slow.test(i)));
        }
        return list;
    }

    /**
     * Lines of the server's log that say something went wrong (Matchbook logs {@code level=WARNING}/{@code SEVERE}),
     * from every node of a cluster, each line prefixed with its node's name there. Redis's log is not read here:
     * see {@link #redisWarnings()}.
     */
    List<String> logProblems() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Path> e : ServerProcess.logs(kind, log).entrySet()) {
            if (e.getKey().equals("redis") || !Files.exists(e.getValue())) {
                continue;
            }
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ": ";
            try (Stream<String> lines = Files.lines(e.getValue())) {
                lines.filter(l -> l.contains("level=WARN") || l.contains("level=SEVERE") || l.contains("Exception")
                                || l.contains("ERROR") || l.contains("OutOfMemory"))
                        .forEach(l -> problems.add(prefix + l));
            }
        }
        return problems;
    }

    /** Lines Redis logs at its warning level ({@code #}) on every start. */
    private static final java.util.regex.Pattern STARTUP = java.util.regex.Pattern.compile(
            " # (oO0OoO0OoO0Oo Redis is starting|Redis version=|Configuration loaded|Server initialized)");

    /** Redis's own warnings (its {@code #} level), e.g. about memory overcommit; empty for the other kinds. */
    List<String> redisWarnings() throws IOException {
        Path redisLog = ServerProcess.logs(kind, log).get("redis");
        if (redisLog == null || !Files.exists(redisLog)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(redisLog)) {
            return lines.filter(l -> l.matches("^\\d+:[A-Z] .* # .*") && !STARTUP.matcher(l).find()).toList();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (server != null) {
            server.kill();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
