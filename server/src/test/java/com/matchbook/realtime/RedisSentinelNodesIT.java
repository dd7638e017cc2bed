package com.matchbook.realtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.redis.RedisReplication;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.RedisSentinel;
import com.matchbook.realtime.support.RedisServer;
import com.matchbook.realtime.support.ServerProcess;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TwoNodesOverRedis}'s tests (two nodes, one conversation across them) with Redis through Sentinel: a primary,
 * a replica and three Sentinels, and the nodes configured with {@code matchbook.redis.sentinels} and
 * {@code master-name} only. Writes wait for the replica (the default while one is online).
 */
class RedisSentinelNodesIT extends TwoNodesOverRedis {
    private static final String MASTER = "matchbook";
    private static RedisServer primary;
    private static RedisServer replica;
    private static List<RedisSentinel> sentinels;

    @BeforeAll
    static void startSentinelsAndTwoNodes() throws Exception {
        primary = new RedisServer().start();
        replica = new RedisServer().replicaOf(primary).start();
        sentinels = List.of(new RedisSentinel(MASTER, primary.port()).start(),
                            new RedisSentinel(MASTER, primary.port()).start(),
                            new RedisSentinel(MASTER, primary.port()).start());
        Eventually.holds("every sentinel sees the two others and the replica",
                         () -> sentinels.stream().allMatch(s -> s.sees(2, 1)), Duration.ofSeconds(60));
        // Acknowledged means replicated only once the replica is online: until then (its first sync, which Redis
        // delays 5 s for a diskless transfer) a node acknowledges writes unreplicated, and a kill would lose them.
        Eventually.holds("the replica is online",
                         () -> RedisReplication.onlineReplicas(primary.replicationInfo()) == 1,
                         Duration.ofSeconds(60));
        Map<String, String> settings = Map.of(
                "matchbook.broker", "redis",
                "matchbook.redis.sentinels", String.join(",", sentinels.stream().map(RedisSentinel::address).toList()),
                "matchbook.redis.master-name", MASTER,
                "matchbook.limits.sends-per-second", "100000");
        nodeA = new ServerProcess(data.resolve("a"), settings).start();
        nodeB = new ServerProcess(data.resolve("b"), settings).start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        nodeA.close();
        nodeB.close();
        for (RedisSentinel s : sentinels) {
            s.close();
        }
        replica.close();
        primary.close();
    }
}
