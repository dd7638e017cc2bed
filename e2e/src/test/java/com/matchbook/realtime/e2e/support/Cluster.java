package com.matchbook.realtime.e2e.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /** Starts Redis, then both nodes at the same time, then the balancer; returns once every node is healthy. */
    public static Cluster start(String name) {
        RedisProcess redis = RedisProcess.start(name);
        Map<String, String> settings = Map.of("matchbook.broker", "redis", "matchbook.redis.uri", redis.uri());
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (String node : List.of("a", "b")) {
            CompletableFuture<ServerProcess> started = new CompletableFuture<>();
            Thread.ofVirtual().name(name + "-start-node-" + node).start(() -> {
                try {
                    started.complete(ServerProcess.start(name + "-node-" + node, settings));
                } catch (Throwable e) {
                    started.completeExceptionally(e);
                }
            });
            starting.add(started);
        }
        List<ServerProcess> nodes = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<ServerProcess> started : starting) {
            try {
                nodes.add(started.join());   // ServerProcess.start has its own deadline
            } catch (CompletionException e) {
                failure = failure == null ? new IllegalStateException("a node did not start", e.getCause()) : failure;
            }
        }
        try {
            if (failure != null) {
                throw failure;
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
