package com.matchbook.realtime.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged jar as its own OS process, as production runs it: for signals and crashes. */
public final class ServerProcess implements AutoCloseable {
    private final Path jar = Path.of(System.getProperty("matchbook.jar", "target/matchbook-server.jar"));
    private final Path dataDir;
    private final Path log;
    private final int port;
    private final Map<String, String> settings;
    private Process process;
    private int descriptorLimit;

    public ServerProcess(Path dataDir, Map<String, String> settings) throws IOException {
        this.dataDir = dataDir;
        this.settings = settings;
        this.port = FreePorts.take();
        this.log = Files.createTempFile(TestWork.dir(), "matchbook-server-", ".log");
    }

    /** Starts the process under {@code ulimit -n limit} (soft and hard), as a small host or container would. */
    public ServerProcess descriptorLimit(int limit) {
        this.descriptorLimit = limit;
        return this;
    }

    public ServerProcess start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (descriptorLimit > 0) {
            cmd.addAll(List.of("sh", "-c", "ulimit -n " + descriptorLimit + " && exec \"$0\" \"$@\""));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                           "-Dserver.port=" + port,
                           "-Dmatchbook.data-dir=" + dataDir,
                           // The node's own temporary files (Helidon's copies of static content, sqlite-jdbc's native
                           // library) are deleted only when it exits cleanly, and tests end it with SIGKILL.
                           "-Djava.io.tmpdir=" + TestWork.dir()));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        StartOrClose.run(this, () -> {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Eventually.holds("server answers /health (log: " + log + ")", this::healthy, Duration.ofSeconds(30));
        });
        return this;
    }

    public int port() {
        return port;
    }

    /** The process, to tell it is the same one (no restart) or how it ended. */
    public Process process() {
        return process;
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI ws(String query) {
        return URI.create("ws://127.0.0.1:" + port + "/ws" + query);
    }

    /** SIGTERM, as a deploy sends it; returns how long the process took to exit. */
    public Duration terminate(Duration within) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server still running " + within + " after SIGTERM; log: " + log);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** SIGKILL: no shutdown hook, nothing flushed that was not already durable. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private boolean healthy() {
        if (!process.isAlive()) {
            throw new AssertionError("server exited with " + process.exitValue() + "; log: " + log);
        }
        try {
            return Http.get(http("/health")).status() == 200;
        } catch (AssertionError e) {
            return false;
        }
    }
}
