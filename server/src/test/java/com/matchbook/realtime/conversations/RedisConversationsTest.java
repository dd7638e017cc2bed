package com.matchbook.realtime.conversations;

import java.net.URI;
import java.util.Map;

import com.matchbook.realtime.redis.RedisClients;
import com.matchbook.realtime.support.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import redis.clients.jedis.RedisClient;

/** The socket and HTTP contract of conversations with the Redis backend (one node; two are in TwoNodesOverRedis). */
class RedisConversationsTest extends ConversationsContract {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServer().start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    Map<String, String> storeSettings() {
        // Each test starts from an empty Redis, as it does from an empty memory store.
        try (RedisClient admin = RedisClients.create(URI.create(redis.uri()))) {
            admin.flushAll();
        }
        return Map.of("matchbook.broker", "redis", "matchbook.redis.uri", redis.uri());
    }
}
