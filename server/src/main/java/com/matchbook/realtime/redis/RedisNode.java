package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.matchbook.realtime.Settings.Timings;

import jakarta.json.JsonObject;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * This node's heartbeat in Redis: an expiring key that says it is alive (presence ignores nodes without one), and
 * its stats, so any node can answer for the whole cluster. Each beat also has {@link RedisReplication} read again how
 * many replicas the primary has (the default replicas-to-ack follows it).
 */
public final class RedisNode {
    private static final System.Logger LOG = System.getLogger(RedisNode.class.getName());

    private final UnifiedJedis redis;
    private final String node;
    private final Supplier<JsonObject> stats;
    private final RedisStore store;
    private volatile boolean up = true;

    public RedisNode(UnifiedJedis redis, String node, Supplier<JsonObject> stats, RedisStore store) {
        this.redis = redis;
        this.node = node;
        this.stats = stats;
        this.store = store;
    }

    public String id() {
        return node;
    }

    public void start(ScheduledExecutorService timer) {
        beat();
        timer.scheduleAtFixedRate(this::beat, Timings.REDIS_BEAT.toMillis(), Timings.REDIS_BEAT.toMillis(),
                                  TimeUnit.MILLISECONDS);
    }

    /** Stats of every live node, by node id. */
    public Map<String, String> clusterStats() {
        try {
            Map<String, String> all = new HashMap<>(redis.hgetAll(RedisKeys.STATS));
            all.keySet().removeIf(n -> !redis.exists(RedisKeys.alive(n)));
            return all;
        } catch (JedisException e) {
            return Map.of();   // this node's own stats still answer; the cluster view comes back with Redis
        }
    }

    public void leave() {
        try {
            redis.del(RedisKeys.alive(node));
            redis.hdel(RedisKeys.STATS, node);
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "leaving the cluster quietly failed", e);
        }
    }

    private void beat() {
        try {
            redis.set(RedisKeys.alive(node), "1", SetParams.setParams().px(Timings.REDIS_ALIVE_FOR.toMillis()));
            redis.hset(RedisKeys.STATS, node, stats.get().toString());
            store.replication().refresh();
            if (!up) {
                LOG.log(Level.INFO, "event=redis-back node=" + node);
            }
            up = true;
            store.healthy(true);
        } catch (JedisException e) {
            if (up) {
                LOG.log(Level.WARNING, "event=redis-down node=" + node + " error=" + e.getMessage());
            }
            up = false;
            store.healthy(false);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=redis-beat-failed", e);
        }
    }

}
