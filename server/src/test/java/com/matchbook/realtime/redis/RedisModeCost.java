package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.RedisClusterServer;
import com.matchbook.realtime.support.RedisServer;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Not a test: a measurement run by hand (README "How far it goes: Redis CPU and round trips per message"). For each
 * mode it starts the Redis topology itself (one Redis; a primary with one replica and {@code replicas-to-ack} 1, as
 * Sentinel runs it; a three-primary Redis Cluster, with and without subscribers), holds {@code users} users on two
 * stand-in nodes ({@link RedisTap}: a subscription each, as {@link RedisBroker}'s), sends {@code messages} messages
 * between random pairs through {@link RedisStore} with idempotency keys from {@code writers} concurrent writers, waits
 * until both nodes have received every entry (two per message: the recipient's copy and the sender's), and reads
 * {@code INFO cpu} and {@code INFO commandstats} of every Redis process before and after. In the cluster without
 * subscribers it then probes the cluster bus: plain PUBLISHes to one shard, and what each shard spends on them.
 *
 * <p>Prints, per Redis process: main-thread CPU µs per message and command calls per message (scripts' inner
 * commands included, as Redis counts them). What the Matchbook node does outside the store (sockets, HTTP, presence
 * heartbeats) is not in it; presence is written once per user before the run.
 *
 * <p>Run: {@code java -cp <test-classes>:<classes>:<deps> com.matchbook.realtime.redis.RedisModeCost
 * [messages] [users] [writers]}.
 */
public final class RedisModeCost {
    private static final String[] NODES = {"node-a", "node-b"};

    private RedisModeCost() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int users = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        single(messages, users, writers);
        replicated(messages, users, writers);
        cluster(messages, users, writers, true);
        cluster(messages, users, writers, false);
    }

    private static void single(int messages, int users, int writers) throws Exception {
        try (RedisServer redis = new RedisServer().start();
             RedisClient client = RedisClients.create(URI.create(redis.uri()))) {
            RedisStore store = new RedisStore(client, 1_000, Duration.ofDays(1), Duration.ofHours(1), entry -> { });
            List<RedisTap> taps = new ArrayList<>();
            AtomicLong received = new AtomicLong();
            for (String node : NODES) {
                taps.add(new RedisTap(redis.uri(), node, m -> received.incrementAndGet()));
            }
            run("single Redis", store, taps, received, Map.of("primary", redis.port()), messages, users, writers);
        }
    }

    private static void replicated(int messages, int users, int writers) throws Exception {
        try (RedisServer primary = new RedisServer().start();
             RedisServer replica = new RedisServer().replicaOf(primary).start();
             RedisClient client = RedisClients.create(URI.create(primary.uri()))) {
            Eventually.holds("the replica is online",
                             () -> RedisReplication.onlineReplicas(primary.replicationInfo()) == 1,
                             Duration.ofSeconds(30));
            RedisReplication replication = new RedisReplication(client, OptionalInt.of(1), Duration.ofSeconds(2));
            RedisStore store = new RedisStore(client, replication, 1_000, Duration.ofDays(1), Duration.ofHours(1),
                                              entry -> { });
            List<RedisTap> taps = new ArrayList<>();
            AtomicLong received = new AtomicLong();
            for (String node : NODES) {
                taps.add(new RedisTap(primary.uri(), node, m -> received.incrementAndGet()));
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("primary", primary.port());
            ports.put("replica", replica.port());
            run("primary + replica, replicas-to-ack 1 (WAIT)", store, taps, received, ports, messages, users, writers);
        }
    }

    private static void cluster(int messages, int users, int writers, boolean subscribers) throws Exception {
        try (RedisClusterServer cluster = new RedisClusterServer().start();
             UnifiedJedis client = RedisClients.cluster(cluster.seedList())) {
            RedisStore store = new RedisStore(client, 1_000, Duration.ofDays(1), Duration.ofHours(1), entry -> { });
            List<RedisTap> taps = new ArrayList<>();
            AtomicLong received = new AtomicLong();
            if (subscribers) {
                for (String node : NODES) {
                    taps.add(RedisTap.cluster(cluster.seedList(), node, m -> received.incrementAndGet()));
                }
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            List<String> seeds = cluster.seedList();
            for (int i = 0; i < seeds.size(); i++) {
                ports.put("shard " + i, Integer.parseInt(seeds.get(i).substring(seeds.get(i).lastIndexOf(':') + 1)));
            }
            run("Redis Cluster, 3 primaries, " + (subscribers ? "2 subscribed nodes" : "no subscriber (no PUBLISH)"),
                store, taps, received, ports, messages, users, writers);
            if (!subscribers) {
                busProbe(ports, messages);
            }
        }
    }

    private static void run(String mode, RedisStore store, List<RedisTap> taps, AtomicLong received,
                            Map<String, Integer> ports, int messages, int users, int writers) throws Exception {
        for (int u = 0; u < users; u++) {
            if (!taps.isEmpty()) {
                taps.get(u % taps.size()).hold(user(u));
            }
        }
        // Warm-up: loads the scripts on every process (EVALSHA's first NOSCRIPT) outside the counted window.
        send(store, "warm", messages / 20, users, writers);
        awaitReceived(received, taps.isEmpty() ? 0 : 2L * (messages / 20 / writers) * writers);
        received.set(0);
        Map<String, Snapshot> before = new HashMap<>();
        ports.forEach((name, port) -> before.put(name, Snapshot.of(port)));
        long start = System.nanoTime();
        int sent = send(store, "run", messages, users, writers);
        awaitReceived(received, taps.isEmpty() ? 0 : 2L * sent);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("== %s: %d messages in %.1f s, %d entries received by the nodes%n", mode, sent, seconds,
                          received.get());
        Snapshot total = Snapshot.EMPTY;
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            Snapshot d = Snapshot.of(e.getValue()).minus(before.get(e.getKey()));
            total = total.plus(d);
            System.out.printf("  %-8s %s%n", e.getKey(), d.perMessage(sent));
        }
        if (ports.size() > 1) {
            System.out.printf("  %-8s %s%n", "all", total.perMessage(sent));
        }
        taps.forEach(RedisTap::close);
    }

    /**
     * What one plain PUBLISH costs each shard of a cluster: {@code count} publications of an entry-sized payload to a
     * channel nobody subscribes to, all sent to shard 0, which broadcasts each over the cluster bus to the others.
     */
    private static void busProbe(Map<String, Integer> ports, int count) {
        Map<String, Snapshot> before = new HashMap<>();
        ports.forEach((name, port) -> before.put(name, Snapshot.of(port)));
        String payload = "M" + user(1) + "\n" + "x".repeat(230);
        try (RedisClient shard0 = RedisClient.create("127.0.0.1", ports.get("shard 0"))) {
            for (int i = 0; i < count; i++) {
                shard0.publish(RedisKeys.nodeChannel("nobody"), payload);
            }
        }
        System.out.printf("== cluster bus probe: %d PUBLISH of %d bytes sent to shard 0, no subscriber%n", count,
                          payload.length());
        ports.forEach((name, port) -> System.out.printf("  %-8s %s%n", name,
                                                        Snapshot.of(port).minus(before.get(name)).perMessage(count)));
    }

    private static int send(RedisStore store, String round, int messages, int users, int writers) throws Exception {
        int share = messages / writers;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(31L * writer + round.hashCode());
                    for (int i = 0; i < share; i++) {
                        int a = random.nextInt(users);
                        int b = (a + 1 + random.nextInt(users - 1)) % users;
                        Draft d = new Draft(user(a), user(b), "chat", "See you at eight? #" + i, null, null);
                        String id = round + "-" + writer + "-" + i;
                        store.append(d, id, Instant.now(), 0,
                                     Optional.of(new MessageStore.SendKey(id + "-k", d.fingerprint()))).join();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return share * writers;
    }

    private static void awaitReceived(AtomicLong received, long expected) {
        Eventually.holds("the nodes received " + expected + " entries", () -> received.get() >= expected,
                         Duration.ofMinutes(2));
    }

    private static String user(int u) {
        return "user-" + u;
    }

    /** One Redis process's main-thread CPU (µs) and calls per command, from INFO. */
    private record Snapshot(double cpuMicros, Map<String, Long> calls) {
        static final Snapshot EMPTY = new Snapshot(0, Map.of());

        static Snapshot of(int port) {
            try (RedisClient c = RedisClient.create("127.0.0.1", port)) {
                double cpu = 0;
                for (String line : c.info("cpu").split("\r\n")) {
                    if (line.startsWith("used_cpu_sys_main_thread:") || line.startsWith("used_cpu_user_main_thread:")) {
                        cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1)) * 1e6;
                    }
                }
                Map<String, Long> calls = new HashMap<>();
                for (String line : c.info("commandstats").split("\r\n")) {
                    if (line.startsWith("cmdstat_")) {
                        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                        int at = line.indexOf("calls=") + "calls=".length();
                        String n = line.substring(at, line.indexOf(',', at));
                        calls.put(name, Long.parseLong(n));
                    }
                }
                return new Snapshot(cpu, calls);
            }
        }

        Snapshot minus(Snapshot earlier) {
            Map<String, Long> d = new HashMap<>();
            calls.forEach((k, v) -> d.put(k, v - earlier.calls.getOrDefault(k, 0L)));
            return new Snapshot(cpuMicros - earlier.cpuMicros, d);
        }

        Snapshot plus(Snapshot other) {
            Map<String, Long> s = new HashMap<>(calls);
            other.calls.forEach((k, v) -> s.merge(k, v, Long::sum));
            return new Snapshot(cpuMicros + other.cpuMicros, s);
        }

        String perMessage(int sent) {
            StringBuilder b = new StringBuilder(String.format("cpu %.1f us/msg; calls/msg:", cpuMicros / sent));
            calls.entrySet().stream().filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> b.append(String.format(" %s %.2f", e.getKey(), (double) e.getValue() / sent)));
            return b.toString();
        }
    }
}
