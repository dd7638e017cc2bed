package com.matchbook.realtime.e2e.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several nodes as production runs them: a real {@code redis-server}, two server processes with
 * {@code matchbook.broker=redis} (each with its own data directory and port), and a {@link TcpBalancer} in front.
 * Browsers open the pages on {@link #balancer()}. As a test parameter (see {@link E2eExtension}) it is started for
 * the test and everything is killed after it.
 */
public final class Cluster implements AutoCloseable {
    private final RedisProcess redis;
    private final List<ServerProcess> nodes;
    private final TcpBalancer balancer;

    private Cluster(RedisProcess redis, List<ServerProcess> nodes, TcpBalancer balancer) {
        this.redis = redis;
        this.nodes = List.copyOf(nodes);
        this.balancer = balancer;
    }

    public static Cluster start(String name) {
        RedisProcess redis = RedisProcess.start(name);
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            Map<String, String> settings = Map.of("matchbook.broker", "redis", "matchbook.redis.uri", redis.uri());
            for (String node : List.of("a", "b")) {
                nodes.add(ServerProcess.start(name + "-node-" + node, settings));
            }
            return new Cluster(redis, nodes, TcpBalancer.start(name, nodes));
        } catch (RuntimeException e) {
            nodes.forEach(ServerProcess::close);
            redis.close();
            throw e;
        }
    }

    public TcpBalancer balancer() {
        return balancer;
    }

    public List<ServerProcess> nodes() {
        return nodes;
    }

    /** The node that is not {@code node}. */
    public ServerProcess other(ServerProcess node) {
        return nodes.stream().filter(n -> n != node).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(node + " is not a node of this cluster"));
    }

    public RedisProcess redis() {
        return redis;
    }

    /** Everything that writes a log, for a failing test. */
    public List<LogSource> logSources() {
        List<LogSource> all = new ArrayList<>(nodes);
        all.add(balancer);
        all.add(redis);
        return all;
    }

    @Override
    public void close() {
        try {
            balancer.close();
        } finally {
            try {
                nodes.forEach(ServerProcess::close);
            } finally {
                redis.close();
            }
        }
    }

    @Override
    public String toString() {
        return "cluster of " + nodes.size() + " nodes behind " + balancer + ", " + redis;
    }
}
