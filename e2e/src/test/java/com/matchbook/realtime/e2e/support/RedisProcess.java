package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's, {@code -De2e.redis.server}, default {@code /usr/bin/redis-server}) for the
 * nodes of a cluster test: a free port on 127.0.0.1, no snapshots, every write fsynced to the append-only file in a
 * fresh directory under {@code target/e2e/}. {@link #close()} kills it.
 */
public final class RedisProcess implements LogSource, AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(50);

    private final int port;
    private final Path logFile;
    private final Process process;

    private RedisProcess(int port, Path logFile, Process process) {
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /** Starts it and returns once it answers {@code PING}. */
    public static RedisProcess start(String name) {
        Path work = E2eConfig.workDir();
        try {
            Path dir = Files.createTempDirectory(work, name + "-redis-");
            int port = ServerProcess.freePort();
            Path logFile = work.resolve(name + "-redis-" + port + ".log");
            List<String> command = List.of(E2eConfig.redisServer().toString(),
                                           "--port", Integer.toString(port),
                                           "--bind", "127.0.0.1",
                                           "--save", "",
                                           "--appendonly", "yes",
                                           "--appendfsync", "always",
                                           "--dir", dir.toString());
            Files.writeString(logFile, "---- " + Instant.now() + " e2e: starting " + String.join(" ", command)
                                               + System.lineSeparator());
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
            RedisProcess redis = new RedisProcess(port, logFile, process);
            redis.awaitPong();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server", e);
        }
    }

    /** For {@code -Dmatchbook.redis.uri=}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "redis-server at " + uri() + " (log " + logFile + ")";
    }

    private void awaitPong() {
        Instant deadline = Instant.now().plus(START_DEADLINE);
        String last = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(1000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] answer = in.readNBytes(7);
                last = new String(answer, StandardCharsets.US_ASCII);
                if (last.equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            StartingProcess.pauseWhileAlive(process, POLL,
                    () -> "redis-server exited with " + process.exitValue() + "; log:\n" + logSince(0));
        }
        close();
        throw new IllegalStateException("redis-server did not answer PING within " + START_DEADLINE + " (last: " + last
                                                + "); log:\n" + logSince(0));
    }
}
