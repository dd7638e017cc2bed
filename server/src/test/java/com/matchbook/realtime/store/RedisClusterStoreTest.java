package com.matchbook.realtime.store;

import com.matchbook.realtime.redis.RedisClients;
import com.matchbook.realtime.redis.RedisTap;
import com.matchbook.realtime.support.RedisClusterServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on Redis Cluster (three primaries, {@code matchbook.redis.cluster}): the contract's users spread
 * over the shards, so most sends and edits cross slots and go through the two-step writes of
 * {@code RedisClusterScripts}; each write returns once the node's subscription got what every primary published.
 */
class RedisClusterStoreTest extends MessageStoreContract {
    private static RedisClusterServer cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new RedisClusterServer().start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    MessageStore open() {
        cluster.flushAll();
        return new TappedRedisStore(RedisClients.cluster(cluster.seedList()),
                                    RedisTap.cluster(cluster.seedList(), "node-a", announced::add));
    }
}
