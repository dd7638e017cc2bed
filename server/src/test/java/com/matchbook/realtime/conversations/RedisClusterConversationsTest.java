package com.matchbook.realtime.conversations;

import java.util.Map;

import com.matchbook.realtime.support.RedisClusterServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The socket and HTTP contract of conversations on Redis Cluster (three primaries): sends and edits between users
 * whose keys sit on different shards go through the two-step writes of {@code RedisClusterScripts}.
 */
class RedisClusterConversationsTest extends ConversationsContract {
    private static RedisClusterServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisClusterServer().start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    Map<String, String> storeSettings() {
        redis.flushAll();
        return Map.of("matchbook.broker", "redis", "matchbook.redis.cluster", redis.seeds());
    }
}
