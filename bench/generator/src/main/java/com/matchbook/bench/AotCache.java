package com.matchbook.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's ahead-of-time cache (JEP 483/514, JDK 25+) for Matchbook under load, because {@code ./run.sh} starts
 * production nodes with one (README "JVM options and start-up"): on one core it takes about a quarter off the time
 * from launch to the first answer, which is what every client of the storm waits for. A cache serves only the
 * collector, heap and module flags it was recorded with, so it is recorded here, once per jar, with exactly the
 * flags of {@link ServerKind#MATCHBOOK_LOAD_JVM} and {@link ServerKind#COMMON_JVM_FLAGS}: a training run on the
 * default store that answers HTTP sends and a WebSocket chat, then stops with SIGTERM (the JVM writes the
 * cache as it exits). Server settings among the extra flags ({@link #serverSettings}) are trained with, each set in
 * a cache of its own.
 *
 * <p>Not used for footprint scenarios (their collector and heap differ), for runs whose
 * {@code MATCHBOOK_BENCH_SERVER_JAVA_OPTS} load an agent ({@code -agentpath}, {@code -agentlib}, {@code -javaagent}:
 * an agent can change the classes as they load, so a profile would not show the start production has), on a JDK
 * before 25, or with {@code -Dbench.matchbook-aot=off} (in MATCHBOOK_BENCH_JAVA_OPTS). Other extra flags, such as a
 * flight recording's, keep the cache, so that a warm start can be recorded as the benchmark runs it.
 */
final class AotCache {
    /** The cache every Matchbook load start uses, or null when there is none. */
    private static volatile Path cache;

    private AotCache() {
    }

    /** The flag that loads the cache, or none. */
    static List<String> flags() {
        Path c = cache;
        return c == null ? List.of() : List.of("-XX:AOTCache=" + c);
    }

    /** What the results record about it. */
    static String describe() {
        Path c = cache;
        if (c == null) {
            return "none";
        }
        List<String> settings = serverSettings(ServerKind.extraJvmFlags());
        return "-XX:AOTCache (recorded by a training run with the load flags, default store"
               + (settings.isEmpty() ? "" : ", " + String.join(" ", settings)) + ")";
    }

    /**
     * Records the cache unless one newer than the jar is there, then uses it. Failures are reported and leave the
     * run without a cache, never stop it.
     */
    static void prepare(Path bench, Path tmp, Path log) throws InterruptedException {
        if ("off".equals(System.getProperty("bench.matchbook-aot")) || Runtime.version().feature() < 25
                || loadsAgent(ServerKind.extraJvmFlags())) {
            return;
        }
        Path jar = bench.resolveSibling("server").resolve("target/matchbook-server.jar");
        List<String> settings = serverSettings(ServerKind.extraJvmFlags());
        Path out = tmp.resolve(settings.isEmpty() ? "matchbook.aot"
                                                  : "matchbook-" + Integer.toHexString(settings.hashCode()) + ".aot");
        try {
            if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(jar)) < 0) {
                Files.deleteIfExists(out);
                record(bench, tmp, jar, out, log, settings);
            }
            if (Files.exists(out)) {
                cache = out;
            } else {
                System.out.println("bench: no AOT cache was written (see " + log + "); Matchbook starts without");
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("bench: recording the AOT cache failed (" + e + "); Matchbook starts without");
        }
    }

    /** Whether these JVM flags load a JVMTI or Java agent. */
    static boolean loadsAgent(List<String> flags) {
        return flags.stream().anyMatch(f -> f.startsWith("-agentpath") || f.startsWith("-agentlib")
                                            || f.startsWith("-javaagent"));
    }

    /**
     * The server settings ({@code -Dmatchbook.*}) among {@code MATCHBOOK_BENCH_SERVER_JAVA_OPTS}: they choose which of
     * the server's code runs (the WebSocket read model, for one), so the training run takes them too and its cache
     * is kept apart from the default's. Other extra flags (diagnostics) do not reach the training run.
     */
    static List<String> serverSettings(List<String> extra) {
        return extra.stream().filter(f -> f.startsWith("-Dmatchbook.")).toList();
    }

    private static void record(Path bench, Path tmp, Path jar, Path out, Path log, List<String> settings)
            throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        Path data = Files.createTempDirectory(tmp, "aot-training-");
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ServerKind.MATCHBOOK_LOAD_JVM);
        cmd.addAll(ServerKind.COMMON_JVM_FLAGS);
        cmd.add("-XX:AOTCacheOutput=" + out);
        cmd.addAll(List.of("-Dserver.port=" + port, "-Dserver.host=127.0.0.1", "-Dmatchbook.data-dir=" + data));
        cmd.addAll(ServerKind.MATCHBOOK_LIMITS);
        cmd.addAll(settings);
        cmd.addAll(List.of("-jar", jar.toString()));
        System.out.println("bench: recording Matchbook's AOT cache (training run, log " + log.getFileName() + ")");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        try {
            train(p, port);
        } finally {
            p.destroy();   // SIGTERM: the JVM writes the cache while it exits
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            try (var files = Files.walk(data)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Ready, then what a benchmark asks of a node: HTTP sends, and a WebSocket that sends and receives. */
    private static void train(Process p, int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the training server did not start");
            }
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        // The default listener asks for the next message after each one, so both sockets keep reading.
        WebSocket.Listener quiet = new WebSocket.Listener() { };
        WebSocket a = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?id=aot-a"),
                                                            quiet).join();
        WebSocket b = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?id=aot-b"),
                                                            quiet).join();
        for (int i = 0; i < 500; i++) {
            a.sendText("{\"type\":\"send\",\"to\":\"aot-b\",\"text\":\"training " + i + "\",\"ref\":\"r" + i + "\"}",
                       true).join();
            if (i % 50 == 0) {
                http.send(HttpRequest.newBuilder(base.resolve("/send-message"))
                                  .header("Content-Type", "application/json")
                                  .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"aot-a\",\"text\":\"hi\"}"))
                                  .build(), HttpResponse.BodyHandlers.discarding());
            }
        }
        a.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        b.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }
}
