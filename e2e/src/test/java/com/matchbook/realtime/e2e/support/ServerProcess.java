package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server jar, run as its own OS process on a fixed port and data directory, so a test can kill it
 * (SIGKILL), stop it (SIGTERM) and start it again where the browsers expect it. Its output goes to a log file under
 * {@code target/e2e/}; {@link #logSince(long)} reads it back for a failing test.
 */
public final class ServerProcess implements Endpoint, LogSource, AutoCloseable {
    /** Short keepalive so that dead connections are noticed within seconds, not the production 25 s + 10 s. */
    public static final Map<String, String> TEST_SETTINGS = Map.of(
            "matchbook.heartbeat-interval", "PT1S",
            "matchbook.heartbeat-timeout", "PT2S");

    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration KILL_DEADLINE = Duration.ofSeconds(10);
    private static final Duration HEALTH_POLL = Duration.ofMillis(100);
    /** Ports {@link #freePort} handed out in this JVM (guarded by the class's monitor). */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Path logFile;
    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private ServerProcess(String name, int port, Path dataDir, Path logFile, Map<String, String> settings) {
        this.name = name;
        this.port = port;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.settings = settings;
    }

    /** Starts a new server on a free port with a fresh data directory; returns once {@code GET /health} is 200. */
    public static ServerProcess start(String name, Map<String, String> extraSettings) {
        Path work = E2eConfig.workDir();
        try {
            Path dataDir = Files.createTempDirectory(work, name + "-data-");
            int port = freePort();
            Path logFile = work.resolve(name + "-" + port + ".log");
            Map<String, String> settings = new LinkedHashMap<>(TEST_SETTINGS);
            settings.putAll(extraSettings);
            ServerProcess server = new ServerProcess(name, port, dataDir, logFile, settings);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** (Re)starts the server on the same port and data directory; returns once {@code GET /health} is 200. */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dserver.host=127.0.0.1");
        command.add("-Dserver.port=" + port);
        command.add("-Dmatchbook.data-dir=" + dataDir);
        // The node's own temporary files (Helidon's copies of static content, sqlite-jdbc's native library) are
        // deleted only when it exits cleanly, and tests end it with SIGKILL.
        command.add("-Djava.io.tmpdir=" + E2eConfig.workDir().toAbsolutePath());
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(E2eConfig.serverJar().toString());
        try {
            appendToLog("---- " + Instant.now() + " e2e: starting " + String.join(" ", command) + System.lineSeparator());
            process = new ProcessBuilder(command)
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        awaitHealthy();
    }

    /** SIGKILL: no drain, no close frames; the kernel resets the sockets. Returns once the process is gone. */
    public void kill() {
        requireRunning();
        appendToLog("---- " + Instant.now() + " e2e: SIGKILL" + System.lineSeparator());
        process.destroyForcibly();
        awaitExit(KILL_DEADLINE, "SIGKILL");
    }

    /** SIGTERM: the server drains its sockets (close 1001) and exits. Returns once the process is gone. */
    public void stop() {
        requireRunning();
        appendToLog("---- " + Instant.now() + " e2e: SIGTERM" + System.lineSeparator());
        process.destroy();
        awaitExit(STOP_DEADLINE, "SIGTERM");
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (isRunning()) {
            process.destroyForcibly();
            try {
                process.waitFor(KILL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " at " + baseUrl() + " (log " + logFile + ")";
    }

    private void awaitHealthy() {
        Instant deadline = Instant.now().plus(START_DEADLINE);
        HttpRequest health = HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).GET().build();
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (ConnectException e) {
                last = "connection refused";
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            StartingProcess.pauseWhileAlive(process, HEALTH_POLL,
                    () -> name + " exited with " + process.exitValue() + " while starting; log:\n" + logSince(0));
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + ": GET /health was not 200 within " + START_DEADLINE + " (last: " + last
                                                + "); log:\n" + logSince(0));
    }

    private void awaitExit(Duration deadline, String signal) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " still running " + deadline + " after " + signal);
            }
            appendToLog("---- " + Instant.now() + " e2e: " + signal + " -> exit " + process.exitValue()
                                + System.lineSeparator());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
        }
    }

    private void requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException(name + " is not running");
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port nothing listens on right now (the kernel's pick), for a process about to bind it, never one handed out
     * before in this JVM: once the probing socket is closed the kernel may pick the same port again, and two
     * processes started one after the other would be given one port (the second fails to bind while the first answers
     * in its place).
     */
    static synchronized int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no free port that this JVM has not handed out already");
    }
}
