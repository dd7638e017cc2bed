package com.matchbook.realtime;

import java.util.Map;

import com.matchbook.realtime.support.RedisServer;
import com.matchbook.realtime.support.ServerProcess;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TwoNodesOverRedis}'s tests with both server processes on one real Redis ({@code matchbook.redis.uri}). The
 * same tests run through Sentinel in {@link RedisSentinelNodesIT}.
 */
class RedisClusterIT extends TwoNodesOverRedis {
    private static RedisServer redis;

    @BeforeAll
    static void startOneRedisAndTwoNodes() throws Exception {
        redis = new RedisServer().start();
        Map<String, String> cluster = Map.of("matchbook.broker", "redis", "matchbook.redis.uri", redis.uri(),
                                             "matchbook.limits.sends-per-second", "100000");
        nodeA = new ServerProcess(data.resolve("a"), cluster).start();
        nodeB = new ServerProcess(data.resolve("b"), cluster).start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        nodeA.close();
        nodeB.close();
        redis.close();
    }
}
