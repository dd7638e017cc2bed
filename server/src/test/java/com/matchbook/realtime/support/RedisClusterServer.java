package com.matchbook.realtime.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real three-primary Redis Cluster (Debian's {@code redis-server} and {@code redis-cli --cluster create}) on free
 * ports of this machine, with no replicas or one per primary ({@code --cluster-replicas 1}: nodes 3 to 5), persistence
 * as {@link RedisServer}'s. {@code cluster-require-full-coverage no}
 * (as the README asks for production) so the other shards keep serving while one is down. A primary can be killed and
 * started again on its files, and keeps its slots.
 */
public final class RedisClusterServer implements AutoCloseable {
    public static final int SHARDS = 3;
    private final Path dir;
    private final int replicas;
    private final int[] ports;
    private final Process[] processes;
    /** Node index of each shard's replica, read once all are in sync (a frozen one could not be asked). */
    private final int[] replicaNodes = new int[SHARDS];

    /** Three primaries, no replicas. */
    public RedisClusterServer() throws IOException {
        this(0);
    }

    /** @param replicas per primary, 0 or 1; the nodes are the primaries 0 to 2, then their replicas */
    public RedisClusterServer(int replicas) throws IOException {
        this.dir = Files.createTempDirectory(TestWork.dir(), "matchbook-redis-cluster-");
        this.replicas = replicas;
        this.ports = new int[SHARDS * (1 + replicas)];
        this.processes = new Process[ports.length];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = FreePorts.take(10_000);   // the node's cluster bus listens on its port + 10000
            Files.createDirectories(dir.resolve(Integer.toString(i)));
        }
    }

    /**
     * Starts the nodes, joins them into one cluster (slots split evenly over the first three, each of the others a
     * replica of one), and waits until it serves and every replica is in sync.
     */
    public RedisClusterServer start() throws IOException, InterruptedException {
        StartOrClose.run(this, () -> {
            for (int i = 0; i < ports.length; i++) {
                start(i);
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (int port : ports) {
                create.add("127.0.0.1:" + port);
            }
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            Process p = new ProcessBuilder(create).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("create.log").toFile())).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("redis-cli --cluster create failed; see " + dir.resolve("create.log"));
            }
            for (int i = 0; i < ports.length; i++) {
                int shard = i;
                Eventually.holds("node " + i + " sees the cluster ok", () -> clusterOk(shard), Duration.ofSeconds(30));
            }
            for (int i = 0; i < SHARDS * replicas; i++) {
                int shard = i;
                Eventually.holds("shard " + i + "'s replica is online", () -> replicaOnline(shard),
                                 Duration.ofSeconds(30));
                replicaNodes[i] = findReplica(i);
            }
        });
        return this;
    }

    /** The port of shard {@code i}'s replica (with {@code replicas} 1). */
    public int replicaPort(int i) {
        return ports[replicaNodes[i]];
    }

    /** SIGSTOP shard {@code i}'s replica: it keeps its sockets and answers nothing, WAIT on its primary falls short. */
    public void pauseReplica(int i) throws IOException, InterruptedException {
        signal(replicaNodes[i], "STOP");
    }

    /** SIGCONT after {@link #pauseReplica}. */
    public void resumeReplica(int i) throws IOException, InterruptedException {
        signal(replicaNodes[i], "CONT");
    }

    private int findReplica(int i) {
        for (int node = SHARDS; node < ports.length; node++) {
            try (Jedis c = new Jedis("127.0.0.1", ports[node])) {
                if (c.info("replication").contains("master_port:" + ports[i] + "\r\n")) {
                    return node;
                }
            }
        }
        throw new AssertionError("no replica of shard " + i);
    }

    private void signal(int node, String name) throws IOException, InterruptedException {
        long pid = processes[node].pid();
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + pid + " exited with " + exit);
        }
    }

    private boolean replicaOnline(int i) {
        try (Jedis c = new Jedis("127.0.0.1", ports[i])) {
            return c.info("replication").contains("state=online");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Starts node {@code i} (shard {@code i}'s primary for i < 3; again, after {@link #kill}) and waits for PING. */
    public void start(int i) throws IOException {
        Path d = dir.resolve(Integer.toString(i));
        processes[i] = new ProcessBuilder(List.of(
                "redis-server", "--port", Integer.toString(ports[i]), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                // With replicas, longer: a primary slowed by a loaded machine must not be failed over mid-test.
                "--cluster-node-timeout", replicas == 0 ? "2000" : "10000", "--cluster-require-full-coverage", "no",
                "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", d.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(d.resolve("redis.log").toFile()))
                .start();
        Eventually.holds("redis " + i + " answers on its own port", () -> answers(i), Duration.ofSeconds(20));
    }

    /** SIGKILL shard {@code i}'s primary: what it acknowledged is in its append-only file. */
    public void kill(int i) throws InterruptedException {
        processes[i].destroyForcibly();
        processes[i].waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits until every node says the cluster is ok again (after {@link #start(int)} of a killed one). */
    public void awaitOk() {
        for (int i = 0; i < ports.length; i++) {
            int shard = i;
            Eventually.holds("shard " + i + " sees the cluster ok", () -> clusterOk(shard), Duration.ofSeconds(30));
        }
    }

    /** {@code matchbook.redis.cluster}: every primary as a seed. */
    public String seeds() {
        return String.join(",", seedList());
    }

    public List<String> seedList() {
        return java.util.Arrays.stream(ports).limit(SHARDS).mapToObj(p -> "127.0.0.1:" + p).toList();
    }

    /** Empties every shard (on its primary; the replicas follow). */
    public void flushAll() {
        for (int i = 0; i < SHARDS; i++) {
            try (Jedis c = new Jedis("127.0.0.1", ports[i])) {
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
            // Its own process, not another that holds the port: a node that failed to bind would otherwise pass.
            return c.info("server").contains("process_id:" + processes[i].pid() + "\r\n");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean clusterOk(int i) {
        try (Jedis c = new Jedis("127.0.0.1", ports[i])) {
            String info = c.clusterInfo();
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + ports.length)
                    && !c.clusterNodes().contains("fail");
        } catch (RuntimeException e) {
            return false;
        }
    }
}
