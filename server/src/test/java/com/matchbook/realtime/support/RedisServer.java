package com.matchbook.realtime.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.RedisClient;

/**
 * A real redis-server (Debian's package) on a free port, with the persistence the README asks production for:
 * {@code appendonly yes} and {@code appendfsync always}. It can be killed and started again on the same files.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    public RedisServer() throws IOException {
        this.dir = Files.createTempDirectory("matchbook-redis-");
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    public RedisServer start() throws IOException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                                             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                                             "--dir", dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        Eventually.holds("redis answers PING", this::answers, Duration.ofSeconds(20));
        return this;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL: whatever was acknowledged must already be in the append-only file. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new AssertionError("redis-server exited; see " + dir.resolve("redis.log"));
        }
        try (RedisClient c = RedisClient.create("127.0.0.1", port)) {
            return "PONG".equals(c.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
