package com.matchbook.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server process pinned to core 0 with taskset (which execs, so the pid is the server's own). Its pid is also
 * written to a file that bench/run kills on exit, in case the generator itself dies without running its hooks.
 */
final class ServerProcess implements AutoCloseable {
    final ServerKind kind;
    private final Process process;
    private final Path pidFile;
    final long startedNanos = System.nanoTime();

    private ServerProcess(ServerKind kind, Process process, Path pidFile) {
        this.kind = kind;
        this.process = process;
        this.pidFile = pidFile;
    }

    static ServerProcess start(ServerKind kind, Path bench, Path dataDir, Path log, boolean footprint)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", "0"));
        cmd.addAll(kind.command(bench, dataDir, footprint));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("PORT", Integer.toString(kind.port));
        Files.writeString(log, "\n== " + String.join(" ", cmd) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process p = pb.start();
        Path pidFile = log.resolveSibling("server-" + p.pid() + ".pid");
        Files.writeString(pidFile, Long.toString(p.pid()));
        return new ServerProcess(kind, p, pidFile);
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the port accepts connections. @return seconds from spawn to ready */
    double awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.id + " exited with " + process.exitValue() + " (see its log)");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", kind.port), 200);
                return (System.nanoTime() - startedNanos) / 1e9;
            } catch (IOException e) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException(kind.id + " did not open port " + kind.port + " within " + timeout);
    }

    long rss() {
        return Proc.rssBytes(pid());
    }

    /** A full collection in a JVM server, so that RSS is compared without garbage; nothing for Node. */
    void gc() throws IOException, InterruptedException {
        if (!kind.jvm) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        Thread.sleep(500);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: a crash, and also the quickest clean-up between scenarios. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // bench/run's trap only kills pids that are still alive
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
