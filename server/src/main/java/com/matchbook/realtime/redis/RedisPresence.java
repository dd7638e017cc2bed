package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import com.matchbook.realtime.hub.Presence;
import com.matchbook.realtime.store.StoreUnavailableException;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Which nodes hold which users: each node writes its own connection count per user into the user's nodes hash. That
 * hash is what the append script routes by, and what presence sums (over nodes that are alive). When a user's last
 * connection on a node goes, the entry stays at 0 for a short grace, so a quick reconnect does not flap the user
 * offline.
 */
public final class RedisPresence implements Presence {
    private static final System.Logger LOG = System.getLogger(RedisPresence.class.getName());
    private static final int STRIPES = 64;

    private final UnifiedJedis redis;
    private final String node;
    private final ToIntFunction<String> localCount;
    private final ScheduledExecutorService timer;
    private final Duration grace;
    private final Object[] stripes = new Object[STRIPES];

    public RedisPresence(UnifiedJedis redis, String node, ToIntFunction<String> localCount,
                         ScheduledExecutorService timer, Duration grace) {
        this.redis = redis;
        this.node = node;
        this.localCount = localCount;
        this.timer = timer;
        this.grace = grace;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * The user's connection count on this node changed. Called synchronously when a connection registers, before its
     * history is read: from then on the append script routes the user's messages here.
     */
    public void changed(String user) {
        synchronized (stripes[Math.floorMod(user.hashCode(), STRIPES)]) {
            int n = localCount.applyAsInt(user);
            try {
                redis.hset(RedisKeys.nodes(user), node, Integer.toString(n));
                if (n == 0) {
                    timer.schedule(() -> dropIfStillZero(user), grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (JedisException e) {
                // Rewritten in full once Redis is back (the broker's subscriber calls rewrite on reconnect).
                LOG.log(Level.WARNING, "event=presence-write-failed user=" + user + " error=" + e.getMessage());
            }
        }
    }

    /** After Redis came back: write every local user's count again. */
    public void rewrite(Iterable<String> localUsers) {
        for (String user : localUsers) {
            changed(user);
        }
    }

    @Override
    public int connections(String user) {
        try {
            return sumOverLiveNodes(user);
        } catch (JedisException e) {
            throw new StoreUnavailableException("presence is kept in Redis, which is unavailable", e);
        }
    }

    private int sumOverLiveNodes(String user) {
        Map<String, String> counts = redis.hgetAll(RedisKeys.nodes(user));
        if (counts.isEmpty()) {
            return 0;
        }
        List<String> nodes = new ArrayList<>(counts.keySet());
        List<String> alive = redis.mget(nodes.stream().map(RedisKeys::alive).toArray(String[]::new));
        int sum = 0;
        for (int i = 0; i < nodes.size(); i++) {
            if (alive.get(i) != null) {
                sum += Integer.parseInt(counts.get(nodes.get(i)));
            } else {
                redis.hdel(RedisKeys.nodes(user), nodes.get(i));   // a node that died without saying so
            }
        }
        return sum;
    }

    /** Online: connected somewhere, or gone for less than the grace (entry still present at 0 on a live node). */
    @Override
    public boolean online(String user) {
        try {
            for (String n : redis.hgetAll(RedisKeys.nodes(user)).keySet()) {
                if (redis.exists(RedisKeys.alive(n))) {
                    return true;
                }
            }
            return false;
        } catch (JedisException e) {
            throw new StoreUnavailableException("presence is kept in Redis, which is unavailable", e);
        }
    }

    private void dropIfStillZero(String user) {
        try {
            RedisScripts.run(redis, RedisScripts.DROP_IF_ZERO, List.of(RedisKeys.nodes(user)), List.of(node));
        } catch (JedisException e) {
            // Left at 0: harmless (the user is offline either way), and rewritten once Redis is back.
            LOG.log(Level.DEBUG, "event=presence-drop-failed user=" + user + " error=" + e.getMessage());
        }
    }
}
