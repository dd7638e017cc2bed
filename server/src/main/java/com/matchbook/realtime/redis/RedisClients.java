package com.matchbook.realtime.redis;

import java.net.URI;
import com.matchbook.realtime.Settings.Timings;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/** The node's Redis client: a pool sized and bounded for virtual threads. */
public final class RedisClients {
    /** Enough for every virtual thread that talks to Redis at once on a busy node, few enough for Redis. */
    private static final int POOL_SIZE = 64;

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
}
