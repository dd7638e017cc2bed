package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.matchbook.realtime.Settings.Timings;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The node's Redis client, one per connection mode ({@link RedisSettings}): a pool sized and bounded for virtual
 * threads, to one server, to the primary the Sentinels name, or to a Redis Cluster. Every mode is a Jedis
 * {@link UnifiedJedis}, so the store, broker, presence and console take any of them.
 *
 * <p>Through Sentinel, Jedis's {@code SentineledConnectionProvider} asks the Sentinels for the primary at start and
 * listens on each for {@code +switch-master}: after a failover the pool (and so every command, pipeline and the
 * broker's next subscription) goes to the promoted replica by itself. Commands in flight on the old primary fail and
 * are answered 503, as while a single Redis is down.
 */
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

    /** One Redis server at {@code uri}, no WAIT to allow for. */
    public static RedisClient create(URI uri) {
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(uri))
                .clientConfig(clientConfig(uri, Duration.ZERO))
                .poolConfig(pool())
                .build();
    }

    /** The client for the configured mode: Redis Cluster, through Sentinel, or one server. */
    public static UnifiedJedis create(RedisSettings settings) {
        if (!settings.cluster().isEmpty()) {
            return cluster(settings.cluster(), settings.waitTimeout());
        }
        // A WAIT blocks its connection for up to the wait timeout: the socket must not give up before Redis answers.
        JedisClientConfig primary = clientConfig(settings.uri(), settings.waitTimeout());
        if (settings.sentinel()) {
            Set<HostAndPort> sentinels = new LinkedHashSet<>();
            for (String s : settings.sentinels()) {
                sentinels.add(HostAndPort.from(s));
            }
            return RedisSentinelClient.builder()
                    .masterName(settings.masterName())
                    .sentinels(sentinels)
                    .clientConfig(primary)
                    .sentinelClientConfig(DefaultJedisClientConfig.builder()
                                                  .connectionTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                                                  .socketTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                                                  .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                                                  .build())
                    .poolConfig(pool())
                    .build();
        }
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(settings.uri()))
                .clientConfig(primary)
                .poolConfig(pool())
                .build();
    }

    /** {@link #cluster(List, Duration)} for writes that WAIT no longer than {@code Timings.REDIS_TIMEOUT} (tests). */
    public static RedisClusterClient cluster(List<String> seeds) {
        return cluster(seeds, Duration.ZERO);
    }

    /**
     * A Redis Cluster client ({@code matchbook.redis.cluster}): it learns the slot map from any of the seeds and sends
     * each command to the primary of its key's slot, with a pool per primary sized and bounded as {@link #create}'s.
     *
     * @param seeds {@code host:port} of some cluster nodes (one reachable is enough)
     * @param wait  how long a WAIT may block ({@code matchbook.redis.wait-timeout}): the socket timeout allows for it
     */
    public static RedisClusterClient cluster(List<String> seeds, Duration wait) {
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (String seed : seeds) {
            nodes.add(HostAndPort.from(seed));
        }
        return RedisClusterClient.builder()
                .nodes(nodes)
                .clientConfig(DefaultJedisClientConfig.builder()
                                      .connectionTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                                      .socketTimeoutMillis((int) Timings.REDIS_TIMEOUT.plus(wait).toMillis())
                                      .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)   // unknown before 7.2
                                      .build())
                .poolConfig(pool())
                .maxAttempts(CLUSTER_ATTEMPTS)
                .maxTotalRetriesDuration(CLUSTER_RETRIES_FOR)
                .build();
    }

    /**
     * Where the client sends commands now, for {@link RedisBroker#followPrimary} and {@link RedisReplication}:
     * through Sentinel the primary they last named ({@link HostAndPort}), which changes with a failover; otherwise a
     * constant.
     */
    public static Supplier<Object> primary(UnifiedJedis client) {
        if (client instanceof RedisSentinelClient sentinel) {
            return sentinel::getCurrentMaster;
        }
        return () -> "";
    }

    private static ConnectionPoolConfig pool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(2);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(Timings.REDIS_TIMEOUT);   // never unbounded: see REDIS_TIMEOUT
        pool.setJmxEnabled(false);
        return pool;
    }

    /** Credentials, database and TLS from the URI (with Sentinels, its host and port are not used). */
    private static JedisClientConfig clientConfig(URI uri, Duration wait) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) Timings.REDIS_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) Timings.REDIS_TIMEOUT.plus(wait).toMillis())
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
        return client.build();
    }
}
