package com.matchbook.realtime.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.RedisClient;

/**
 * A real redis-server (Debian's package) on a free port, with the persistence the README asks production for:
 * {@code appendonly yes} and {@code appendfsync always}. It can be killed and started again on the same files, made a
 * replica of another ({@link #replicaOf}), and frozen ({@link #pause}) to stand for a replica that stopped answering.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final List<String> extra = new ArrayList<>();
    private Process process;

    public RedisServer() throws IOException {
        this.dir = Files.createTempDirectory(TestWork.dir(), "matchbook-redis-");
        this.port = FreePorts.take();
    }

    /** Starts (and restarts) as a replica of {@code primary}. */
    public RedisServer replicaOf(RedisServer primary) {
        extra.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port)));
        return this;
    }

    public RedisServer start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                                                   "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                                                   "--appendfsync", "always", "--dir", dir.toString()));
        cmd.addAll(extra);
        StartOrClose.run(this, () -> {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .start();
            Eventually.holds("redis answers on its own port", this::answers, Duration.ofSeconds(20));
        });
        return this;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code INFO replication} of this server, e.g. to see that a replica's link is up. */
    public String replicationInfo() {
        try (RedisClient c = RedisClient.create("127.0.0.1", port)) {
            return c.info("replication");
        }
    }

    /** SIGSTOP: the process keeps its sockets open and answers nothing, as a hung or partitioned server. */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited with " + exit);
        }
    }

    /** SIGKILL: whatever was acknowledged must already be in the append-only file. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();   // SIGKILL ends a paused process too
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new AssertionError("redis-server exited; see " + dir.resolve("redis.log"));
        }
        try (RedisClient c = RedisClient.create("127.0.0.1", port)) {
            // Its own process, not another that holds the port: one that failed to bind would otherwise pass.
            return c.info("server").contains("process_id:" + process.pid() + "\r\n");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
