package com.matchbook.realtime.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;

/**
 * One Redis Sentinel ({@code redis-server sentinel.conf --sentinel}, Debian's package) on a free port, watching a
 * primary under a name with a quorum of 2, and quick to act: the primary counts as down after 1 s without an answer,
 * and a failover that stalls is tried again after 5 s (production keeps the defaults, 30 s and 3 min).
 */
public final class RedisSentinel implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String masterName;
    private Process process;

    public RedisSentinel(String masterName, int primaryPort) throws IOException {
        this.masterName = masterName;
        this.dir = Files.createTempDirectory(TestWork.dir(), "matchbook-sentinel-");
        this.port = FreePorts.take();
        // Sentinel rewrites its config file as it learns the topology: it must be a file of its own, writable.
        Files.writeString(dir.resolve("sentinel.conf"), String.join("\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir \"" + dir + "\"",   // quoted: a checkout's path may hold spaces
                "sentinel monitor " + masterName + " 127.0.0.1 " + primaryPort + " 2",
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 5000",
                "sentinel parallel-syncs " + masterName + " 1",
                ""));
    }

    public RedisSentinel start() throws IOException, InterruptedException {
        StartOrClose.run(this, () -> {
            process = new ProcessBuilder(List.of("redis-server", dir.resolve("sentinel.conf").toString(),
                                                 "--sentinel"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile()))
                    .start();
            Eventually.holds("sentinel answers on its own port", this::answers, Duration.ofSeconds(20));
        });
        return this;
    }

    /** {@code host:port}, as {@code matchbook.redis.sentinels} lists it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The port of the primary this Sentinel names now, or -1 if it cannot be asked. */
    public int primaryPort() {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return Integer.parseInt(j.sentinelGetMasterAddrByName(masterName).get(1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether this Sentinel knows {@code sentinels} others and {@code replicas} replicas: ready to fail over. */
    public boolean sees(int sentinels, int replicas) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return j.sentinelSentinels(masterName).size() >= sentinels
                   && j.sentinelReplicas(masterName).size() >= replicas;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Path log() {
        return dir.resolve("sentinel.log");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private boolean answers() {
        if (!process.isAlive()) {
            throw new AssertionError("sentinel exited; see " + log());
        }
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            // Its own process, not another that holds the port: one that failed to bind would otherwise pass.
            return j.info("server").contains("process_id:" + process.pid() + "\r\n");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
