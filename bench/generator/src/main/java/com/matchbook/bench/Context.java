package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/** One scenario against one server: starts it fresh (with a fresh data dir), restarts it, and always stops it. */
final class Context implements AutoCloseable {
    final ServerKind kind;
    final Sizes sizes;
    final Path bench;
    private final Path log;
    private final Path dataDir;
    private final boolean footprint;
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

    Context(ServerKind kind, Sizes sizes, Path bench, Path tmp, String scenario) throws IOException {
        this.kind = kind;
        this.sizes = sizes;
        this.bench = bench;
        Files.createDirectories(tmp.resolve("logs"));
        this.log = tmp.resolve("logs").resolve(kind.id + "-" + scenario + ".log");
        Files.deleteIfExists(log);
        this.dataDir = Files.createTempDirectory(tmp, "data-" + kind.id + "-");
        this.footprint = scenario.equals("idle");
    }

    /** Starts the server (again, on the same port and data dir) and waits for its port. */
    ServerProcess start() throws IOException, InterruptedException {
        server = ServerProcess.start(kind, bench, dataDir, log, footprint);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    Thread hook() {
        return hook;
    }

    Path log() {
        return log;
    }

    static List<Client> clients(int from, int to, IntPredicate slow) {
        List<Client> list = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            list.add(new Client(i, slow.test(i)));
        }
        return list;
    }

    /** Lines of the server's log that say something went wrong (Matchbook logs {@code level=WARNING}/{@code SEVERE}). */
    List<String> logProblems() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("level=WARN") || l.contains("level=SEVERE") || l.contains("Exception")
                            || l.contains("ERROR") || l.contains("OutOfMemory"))
                    .toList();
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
