package com.matchbook.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server under test, started and ready: one process pinned to core 0 with taskset (which execs, so the pid is
 * the server's own), or for the Redis kinds a redis-server and two Matchbook nodes, all three on core 0 too (one
 * core for the whole cluster, as the single servers get). Each process's pid is also written to a file that
 * bench/run kills on exit, in case the generator itself dies without running its hooks.
 */
final class ServerProcess implements AutoCloseable {
    /** One OS process of the server: its log is {@code <kind>-<scenario>[-<name>].log}. */
    record Part(String name, Process process, Path pidFile, int port, boolean jvm) {
    }

    final ServerKind kind;
    /** In start order: Redis first, when there is one. */
    private final List<Part> parts;
    final long startedNanos;
    /** Seconds from the first spawn until every part served (Matchbook: {@code /health} 200; the others: accepted). */
    final double readyS;

    /**
     * Seconds since the first process was spawned: the clock of a JVM's log decorations ({@code [12.3s]}, uptime),
     * which starts a few milliseconds later, so a window measured here is that much early against the log.
     */
    double uptimeS() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private ServerProcess(ServerKind kind, List<Part> parts, long startedNanos) {
        this.kind = kind;
        this.parts = List.copyOf(parts);
        this.startedNanos = startedNanos;
        this.readyS = (System.nanoTime() - startedNanos) / 1e9;
    }

    /**
     * Starts the server and waits until every process of it serves (see {@link #awaitPort}); on any failure kills
     * what it started. Redis kinds: Redis in {@code dataDir/redis}, then the nodes in {@code dataDir/node-a},
     * {@code -b}.
     *
     * @param log the log of a single-process server; the parts of a cluster log beside it with their name added
     * @param extraFlags flags for a single Matchbook process (after the common ones); not for the other kinds
     */
    static ServerProcess start(ServerKind kind, Path bench, Path dataDir, Path log, boolean footprint, int redisPort,
                               Duration timeout, List<String> extraFlags) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        List<Part> parts = new ArrayList<>();
        boolean ok = false;
        try {
            if (kind.redis()) {
                Path redisDir = Files.createDirectories(dataDir.resolve("redis"));
                Part redis = spawn(kind, "redis", kind.redisCommand(redisPort, redisDir), redisPort,
                        partLog(log, "redis"), false);
                parts.add(redis);
                awaitPort(kind, redis, deadline);
                for (int i = 0; i < ServerKind.REDIS_NODES; i++) {
                    String name = nodeName(i);
                    Path nodeDir = Files.createDirectories(dataDir.resolve(name));
                    parts.add(spawn(kind, name, kind.nodeCommand(bench, i, nodeDir, redisPort, footprint),
                            kind.ports()[i], partLog(log, name), true));
                }
            } else {
                parts.add(spawn(kind, "", kind.command(bench, dataDir, footprint, extraFlags), kind.port, log, kind.jvm));
            }
            for (Part p : parts) {
                awaitPort(kind, p, deadline);
            }
            ok = true;
            return new ServerProcess(kind, parts, t0);
        } finally {
            if (!ok) {
                killAll(parts);
            }
        }
    }

    static String nodeName(int i) {
        return "node-" + (char) ('a' + i);
    }

    /** The log of one part of a cluster, beside the single server's log. */
    static Path partLog(Path log, String name) {
        if (name.isEmpty()) {
            return log;
        }
        String file = log.getFileName().toString();
        return log.resolveSibling(file.substring(0, file.length() - ".log".length()) + "-" + name + ".log");
    }

    /** Every log a kind writes for one scenario, with the part's name ("" for a single server). */
    static Map<String, Path> logs(ServerKind kind, Path log) {
        Map<String, Path> logs = new LinkedHashMap<>();
        if (kind.redis()) {
            logs.put("redis", partLog(log, "redis"));
            for (int i = 0; i < ServerKind.REDIS_NODES; i++) {
                logs.put(nodeName(i), partLog(log, nodeName(i)));
            }
        } else {
            logs.put("", log);
        }
        return logs;
    }

    /** A port nobody listens on now (for Redis): the kernel's pick for an ephemeral bind, released at once. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static Part spawn(ServerKind kind, String name, List<String> command, int port, Path log, boolean jvm)
            throws IOException {
        // Someone else's server on the port would answer in ours' place (another bench run on a shared machine).
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is taken by another process (another bench run?):"
                    + " -Dbench.port-offset=N in MATCHBOOK_BENCH_JAVA_OPTS moves every server's port by N");
        }
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PORT", Integer.toString(port));
        Files.writeString(log, "\n== " + String.join(" ", cmd) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process p = pb.start();
        Path pidFile = log.resolveSibling("server-" + p.pid() + ".pid");
        Files.writeString(pidFile, Long.toString(p.pid()));
        return new Part(name.isEmpty() ? kind.id : name, p, pidFile, port, jvm);
    }

    private static void awaitPort(ServerKind kind, Part part, long deadline) throws InterruptedException {
        String who = kind.id + (part.name.equals(kind.id) ? "" : " " + part.name);
        while (System.nanoTime() < deadline) {
            if (!part.process.isAlive()) {
                throw new IllegalStateException(who + " exited with " + part.process.exitValue() + " (see its log)");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", part.port), 200);
                if (!answersHealth(kind, part) || healthy(s, deadline)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException(who + " did not serve on port " + part.port + " in time");
    }

    /**
     * Matchbook is ready when {@code GET /health} answers 200 (its node and store ready), not merely when its port
     * accepts: a port held during start-up (tried on 2026-12-01, docs/performance.md, "Storm: the port held while the
     * node starts") would otherwise count as ready. The peers have no health endpoint and open their port once they
     * serve.
     */
    private static boolean answersHealth(ServerKind kind, Part part) {
        return kind.id.startsWith("matchbook") && !part.name.equals("redis");
    }

    /**
     * Asks {@code GET /health} on {@code s} and waits for the answer until {@code deadline}. Not a short timeout: a
     * probe that connects while the node holds its port (StartupBacklog) waits in the accept queue with the storm's
     * crowd and is answered once the node serves; with a 2 s timeout it gave up just before that in some runs and
     * queued again behind the whole crowd, so {@code server_ready_s} jumped by the crowd's drain (about 1 s) from one
     * run to the next (2.1 against 3.1 s, 2026-12-04, docs/performance.md).
     */
    private static boolean healthy(Socket s, long deadline) throws IOException {
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadline - System.nanoTime()) / 1_000_000)));
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                          .getBytes(StandardCharsets.US_ASCII));
        byte[] status = s.getInputStream().readNBytes(12);
        return new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    }

    /** The pid of every process of this server. */
    long[] pids() {
        return parts.stream().mapToLong(p -> p.process.pid()).toArray();
    }

    /** The name of each process, in the order of {@link #pids()}. */
    List<String> names() {
        return parts.stream().map(Part::name).toList();
    }

    /** Resident memory of all its processes together, or -1 when one is gone. */
    long rss() {
        long sum = 0;
        for (Part p : parts) {
            long rss = Proc.rssBytes(p.process.pid());
            if (rss < 0) {
                return -1;
            }
            sum += rss;
        }
        return sum;
    }

    /** A full collection in each JVM process, so that RSS is compared without garbage; nothing for the others. */
    void gc() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        boolean any = false;
        for (Part part : parts) {
            if (!part.jvm) {
                continue;
            }
            any = true;
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(part.process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (any) {
            Thread.sleep(500);
        }
    }

    /** Whether every process is still running. */
    boolean alive() {
        return parts.stream().allMatch(p -> p.process.isAlive());
    }

    /** Names of the processes that died, for an error message. */
    List<String> dead() {
        return parts.stream().filter(p -> !p.process.isAlive()).map(Part::name).toList();
    }

    /**
     * A few of Redis's own figures (INFO) for the Redis kinds, null for the others: what the run stored, how the
     * append-only file kept up ({@code aof_delayed_fsync} counts writes that did not wait for a late fsync).
     */
    Map<String, Object> redisInfo() {
        if (!kind.redis()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", parts.get(0).port), 1000);
            s.setSoTimeout(5000);
            OutputStream os = s.getOutputStream();
            os.write("INFO\r\n".getBytes(StandardCharsets.US_ASCII));
            os.flush();
            InputStream in = s.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                header.append((char) c);
            }
            int len = Integer.parseInt(header.toString().trim().substring(1));
            String info = new String(in.readNBytes(len), StandardCharsets.UTF_8);
            Map<String, String> all = new LinkedHashMap<>();
            for (String line : info.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && !line.startsWith("#")) {
                    all.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            out.put("version", all.get("redis_version"));
            out.put("appendfsync", kind.redisFsync);
            out.put("used_memory_mb", mb(all.get("used_memory")));
            out.put("aof_size_mb", mb(all.get("aof_current_size")));
            out.put("aof_delayed_fsync", number(all.get("aof_delayed_fsync")));
            out.put("commands", number(all.get("total_commands_processed")));
            out.put("error_replies", number(all.get("total_error_replies")));
            out.put("clients", number(all.get("connected_clients")));
            all.forEach((k, v) -> {
                if (k.startsWith("errorstat_")) {
                    out.put(k, v);
                }
            });
        } catch (IOException | RuntimeException e) {
            out.put("info_failed", e.toString());
        }
        return out;
    }

    private static Object number(String v) {
        try {
            return v == null ? null : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static Object mb(String bytes) {
        return number(bytes) instanceof Long n ? Math.round(n / 1048576.0 * 10) / 10.0 : null;
    }

    /** SIGKILL: a crash, and also the quickest clean-up between scenarios. Nodes first, then Redis. */
    void kill() throws InterruptedException {
        killAll(parts);
    }

    private static void killAll(List<Part> parts) throws InterruptedException {
        for (Part p : parts.reversed()) {
            p.process.destroyForcibly();
        }
        for (Part p : parts.reversed()) {
            p.process.waitFor(10, TimeUnit.SECONDS);
            try {
                Files.deleteIfExists(p.pidFile);
            } catch (IOException ignored) {
                // bench/run's trap only kills pids that are still alive
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
