package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

import com.matchbook.realtime.store.StoreUnavailableException;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Acknowledged means replicated ({@code matchbook.redis.replicas-to-ack}, docs/protocol.md "Configuration keys", 1.1):
 * a write script is followed by {@code WAIT numreplicas timeout} on the same connection, in one pipeline (one round
 * trip). WAIT waits for the replication offset of that connection's last write, so it must share the connection; a
 * pipeline holds one pooled connection for its life (in cluster mode, a cluster pipeline routes both by key: the
 * connection to the shard of the script's first key, which {@code waitReplicas(key, ...)} names too; each step of a
 * two-step write is confirmed by its own shard, {@link RedisClusterWrites}).
 *
 * <p>How many replicas: the configured number, fixed (fewer replicas online means every write is refused with 503
 * until they are back); or, when the key is not set, 1 while the primary reports a replica online in
 * {@code INFO replication} and 0 while it reports none (in Redis Cluster: 1 while every primary reports one). That
 * is read when the node starts, on every heartbeat ({@link RedisNode}, 2 s), before the first write to a new primary
 * (the client's primary changed: a failover), and at once after a WAIT fell short, so the default follows the
 * topology: after a Sentinel failover that left the new primary alone, writes go on unreplicated rather than being
 * refused until an operator brings a replica back. Set the key to insist.
 *
 * <p>A write that Redis applied but WAIT could not confirm in time is answered 503 ({@link StoreUnavailableException}):
 * it may still reach the replicas, or be lost in a failover. The sender retries with the same idempotency key; the
 * append script finds the record written with the message (and rewrites it, so that this connection's WAIT covers it),
 * so the message is stored once either way.
 */
public final class RedisReplication {
    private static final System.Logger LOG = System.getLogger(RedisReplication.class.getName());

    private final UnifiedJedis redis;
    private final OptionalInt configured;
    private final long waitMs;
    private final Supplier<Object> primary;
    private volatile int required;
    private volatile Object readOn;
    private volatile boolean reported;

    /** On one server (the primary never changes). */
    public RedisReplication(UnifiedJedis redis, OptionalInt configured, Duration wait) {
        this(redis, configured, wait, () -> "");
    }

    /**
     * @param configured {@code matchbook.redis.replicas-to-ack}; empty for the default (follow INFO replication)
     * @param wait       how long WAIT may block ({@code matchbook.redis.wait-timeout})
     * @param primary    the server the client sends commands to now ({@link RedisClients#primary}): with the
     *                   default, a write after it changed (a failover) reads the new primary's replicas first
     */
    public RedisReplication(UnifiedJedis redis, OptionalInt configured, Duration wait, Supplier<Object> primary) {
        this.redis = redis;
        this.configured = configured;
        this.waitMs = wait.toMillis();
        this.primary = primary;
        this.required = configured.orElse(0);
    }

    /** No WAIT at all: one Redis without replicas, and tests of the store alone. */
    public static RedisReplication none(UnifiedJedis redis) {
        return new RedisReplication(redis, OptionalInt.of(0), Duration.ofSeconds(1));
    }

    /** How many replicas a write waits for now. */
    public int required() {
        return required;
    }

    /** With the default, reads the primary's online replicas again; a fixed number stays as configured. */
    public void refresh() {
        if (configured.isPresent()) {
            return;
        }
        try {
            Object on = primary.get();
            int online = redis instanceof RedisClusterClient cluster
                    ? fewestOnlineReplicas(cluster)
                    : onlineReplicas(redis.info("replication"));
            readOn = on;
            int next = online > 0 ? 1 : 0;
            // The first reading is logged whatever it is: a node that starts while its replica still syncs acknowledges
            // writes unreplicated until the next heartbeat, and the operator should see that it does.
            if (next != required || !reported) {
                LOG.log(Level.INFO, "event=redis-replicas-to-ack value=" + next + " replicas-online=" + online);
                required = next;
                reported = true;
            }
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "INFO replication failed; keeping replicas-to-ack=" + required, e);
        }
    }

    /**
     * Runs a write script ({@link RedisScripts#run} when no replica must confirm), then WAITs on its connection.
     *
     * @return the script's reply
     * @throws StoreUnavailableException when fewer than {@link #required} replicas confirmed within the wait timeout
     * @throws JedisException            when Redis cannot be reached (the caller turns it into 503 as well)
     */
    Object run(String script, List<String> keys, List<String> args) {
        if (configured.isEmpty() && !primary.get().equals(readOn)) {
            refresh();   // a failover: the promoted replica may stand alone, and WAIT would only time out
        }
        int n = required;
        if (n == 0) {
            return RedisScripts.run(redis, script, keys, args);
        }
        String sha = Sha1.hex(script);
        for (int attempt = 0; ; attempt++) {
            Response<Object> reply;
            Response<Long> confirmed;
            try (AbstractPipeline pipeline = redis.pipelined()) {
                reply = pipeline.evalsha(sha, keys, args);
                confirmed = pipeline.waitReplicas(keys.getFirst(), n, waitMs);
                pipeline.sync();
            }
            Object value;
            try {
                value = reply.get();
            } catch (JedisDataException e) {
                if (attempt > 0 || e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) {
                    throw e;
                }
                redis.scriptLoad(script, keys.getFirst());   // first use, or a Redis that restarted or failed over
                continue;
            }
            long got = confirmed.get();
            if (got < n) {
                refresh();
                throw new StoreUnavailableException("Redis could not confirm the write on " + n + " replica(s) within "
                                                    + waitMs + " ms (" + got + " did)", null);
            }
            return value;
        }
    }

    /**
     * Redis Cluster: the fewest online replicas any primary has, so the default is 1 only when every shard can confirm
     * a write. The primaries (flag {@code master}, not {@code fail}, holding slots) come from {@code CLUSTER NODES} on
     * the owner of one of a few slots; then each is asked {@code INFO replication}. Replicas are never asked, so a hung
     * replica costs this nothing; a primary that does not answer is passed over (it takes no writes either).
     *
     * @throws JedisException when no primary answered (the caller keeps the number it had)
     */
    private static int fewestOnlineReplicas(RedisClusterClient cluster) {
        String nodes = null;
        for (int slot : new int[] {0, 5_461, 10_923, 16_383}) {
            try (Jedis owner = new Jedis(cluster.getConnectionFromSlot(slot))) {
                nodes = owner.clusterNodes();
                break;
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "CLUSTER NODES failed on the owner of slot " + slot, e);
            }
        }
        if (nodes == null) {
            throw new JedisException("no Redis Cluster primary answered CLUSTER NODES");
        }
        Map<String, ConnectionPool> pools = cluster.getClusterNodes();
        int fewest = Integer.MAX_VALUE;
        for (String line : nodes.split("\r?\n")) {
            // <id> <ip:port@cport[,hostname]> <flags> <primary id> <ping> <pong> <epoch> <link> <slot>...
            String[] f = line.split(" ");
            if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
                continue;
            }
            ConnectionPool pool = pools.get(f[1].substring(0, f[1].indexOf('@')));
            if (pool == null) {
                continue;   // not in the client's slot map yet
            }
            try (Jedis primary = new Jedis(pool.getResource())) {
                fewest = Math.min(fewest, onlineReplicas(primary.info("replication")));
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "INFO replication failed on " + f[1], e);
            }
        }
        if (fewest == Integer.MAX_VALUE) {
            throw new JedisException("no Redis Cluster primary answered INFO replication");
        }
        return fewest;
    }

    /** Replicas in state {@code online} in an {@code INFO replication} answer ({@code slaveN:...,state=online,...}). */
    public static int onlineReplicas(String info) {
        int online = 0;
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("slave") && line.contains(":") && line.contains("state=online")) {
                online++;
            }
        }
        return online;
    }
}
