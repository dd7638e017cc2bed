package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.matchbook.realtime.Settings.Timings;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.util.JedisURIHelper;

/** The node's Redis client: a pool sized and bounded for virtual threads. */
public final class RedisClients {
    /** Enough for every virtual thread that talks to Redis at once on a busy node, few enough for Redis. */
    private static final int POOL_SIZE = 64;
    /**
     * Redis Cluster: attempts per command (a MOVED or a refused connection triggers another, after a topology
     * refresh) and their total time. Bounded so a send to a shard that is down gets its 503 within about one Redis
     * timeout, rather than after Jedis's default of five attempts.
     */
    private static final int CLUSTER_ATTEMPTS = 3;
    private static final Duration CLUSTER_RETRIES_FOR = Timings.REDIS_TIMEOUT;

    private RedisClients() {
    }

    public static RedisClient create(URI uri) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(2);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Timings.REDIS_TIMEOUT);   // never unbounded: see REDIS_TIMEOUT
        pool.setJmxEnabled(false);
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                // CLIENT SETINFO is unknown before Redis 7.2 (Debian 12 ships 7.0): it only earns an error reply.
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
        String user = JedisURIHelper.getUser(uri);
        String password = JedisURIHelper.getPassword(uri);
        if (user != null) {
            client.user(user);
        }
        if (password != null) {
            client.password(password);
        }
        if (JedisURIHelper.hasDbIndex(uri)) {
            client.database(JedisURIHelper.getDBIndex(uri));
        }
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(client.build())
                .poolConfig(pool)
                .build();
    }

    /**
     * A Redis Cluster client ({@code matchbook.redis.cluster}): it learns the slot map from any of the seeds and sends
     * each command to the primary of its key's slot, with a pool per primary sized and bounded as {@link #create}'s
     * (the same settings, kept apart from it so the single and Sentinel client can change on their own).
     *
     * @param seeds {@code host:port} of some cluster nodes (one reachable is enough)
     */
    public static RedisClusterClient cluster(List<String> seeds) {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String seed : seeds) {
            nodes.add(HostAndPort.from(seed));
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(2);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Timings.REDIS_TIMEOUT);   // never unbounded: see REDIS_TIMEOUT
        pool.setJmxEnabled(false);
        return RedisClusterClient.builder()
                .nodes(nodes)
                .clientConfig(DefaultJedisClientConfig.builder()
                                      .connectionTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                                      .socketTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                                      .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)   // unknown before 7.2
                                      .build())
                .poolConfig(pool)
                .maxAttempts(CLUSTER_ATTEMPTS)
                .maxTotalRetriesDuration(CLUSTER_RETRIES_FOR)
                .build();
    }
}
