package com.matchbook.realtime.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real three-primary Redis Cluster (Debian's {@code redis-server} and {@code redis-cli --cluster create}) on free
 * ports of this machine, no replicas, persistence as {@link RedisServer}'s. {@code cluster-require-full-coverage no}
 * (as the README asks for production) so the other shards keep serving while one is down. A primary can be killed and
 * started again on its files, and keeps its slots.
 */
public final class RedisClusterServer implements AutoCloseable {
    public static final int SHARDS = 3;
    private final Path dir;
    private final int[] ports = new int[SHARDS];
    private final Process[] processes = new Process[SHARDS];

    public RedisClusterServer() throws IOException {
        this.dir = Files.createTempDirectory("matchbook-redis-cluster-");
        for (int i = 0; i < SHARDS; i++) {
            ports[i] = freePortWithFreeBus();
            Files.createDirectories(dir.resolve(Integer.toString(i)));
        }
    }

    /** Starts the three nodes, joins them into one cluster (slots split evenly), and waits until it serves. */
    public RedisClusterServer start() throws IOException, InterruptedException {
        for (int i = 0; i < SHARDS; i++) {
            start(i);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        for (int port : ports) {
            create.add("127.0.0.1:" + port);
        }
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process p = new ProcessBuilder(create).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("create.log").toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("redis-cli --cluster create failed; see " + dir.resolve("create.log"));
        }
        for (int i = 0; i < SHARDS; i++) {
            int shard = i;
            Eventually.holds("shard " + i + " sees the cluster ok", () -> clusterOk(shard), Duration.ofSeconds(30));
        }
        return this;
    }

    /** Starts shard {@code i}'s primary (again, after {@link #kill}) and waits until it serves its slots. */
    public void start(int i) throws IOException {
        Path d = dir.resolve(Integer.toString(i));
        processes[i] = new ProcessBuilder(List.of(
                "redis-server", "--port", Integer.toString(ports[i]), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "2000", "--cluster-require-full-coverage", "no",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", d.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("redis.log").toFile()))
                .start();
        Eventually.holds("redis " + i + " answers PING", () -> answers(i), Duration.ofSeconds(20));
    }

    /** SIGKILL shard {@code i}'s primary: what it acknowledged is in its append-only file. */
    public void kill(int i) throws InterruptedException {
        processes[i].destroyForcibly();
        processes[i].waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits until every shard says the cluster is ok again (after {@link #start(int)} of a killed one). */
    public void awaitOk() {
        for (int i = 0; i < SHARDS; i++) {
            int shard = i;
            Eventually.holds("shard " + i + " sees the cluster ok", () -> clusterOk(shard), Duration.ofSeconds(30));
        }
    }

    /** {@code matchbook.redis.cluster}: every node as a seed. */
    public String seeds() {
        return java.util.Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public List<String> seedList() {
        return java.util.Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).toList();
    }

    /** Empties every shard. */
    public void flushAll() {
        for (int port : ports) {
            try (Jedis c = new Jedis("127.0.0.1", port)) {
                c.flushAll();
            }
        }
    }

    /** A user id starting with {@code prefix} whose keys ({@code mb:{id}:...}) land on shard {@code i}. */
    public String userOn(int i, String prefix) {
        List<int[]> ranges = new ArrayList<>();
        try (Jedis c = new Jedis("127.0.0.1", ports[i])) {
            String myself = c.clusterNodes().lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
            String[] fields = myself.split(" ");
            for (int f = 8; f < fields.length; f++) {
                String[] ends = fields[f].split("-");
                ranges.add(new int[] {Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1])});
            }
        }
        for (int n = 0; ; n++) {
            String id = prefix + n;
            int slot = JedisClusterCRC16.getSlot(id);
            if (ranges.stream().anyMatch(r -> slot >= r[0] && slot <= r[1])) {
                return id;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private boolean answers(int i) {
        if (!processes[i].isAlive()) {
            throw new AssertionError("redis-server exited; see " + dir.resolve(i + "/redis.log"));
        }
        try (Jedis c = new Jedis("127.0.0.1", ports[i])) {
            return "PONG".equals(c.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean clusterOk(int i) {
        try (Jedis c = new Jedis("127.0.0.1", ports[i])) {
            String info = c.clusterInfo();
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + SHARDS)
                    && !c.clusterNodes().contains("fail");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The cluster bus listens on port + 10000: both must be free. */
    private static int freePortWithFreeBus() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port + 10_000 > 65_535) {
                continue;
            }
            try (ServerSocket bus = new ServerSocket(port + 10_000)) {
                return port;
            } catch (IOException busTaken) {
                // try another
            }
        }
        throw new IOException("no free port with a free cluster bus port");
    }
}
