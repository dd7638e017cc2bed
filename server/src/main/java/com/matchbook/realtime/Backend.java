package com.matchbook.realtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.matchbook.realtime.admin.LocalOperator;
import com.matchbook.realtime.admin.Operator;
import com.matchbook.realtime.delivery.Broker;
import com.matchbook.realtime.delivery.LocalBroker;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Presence;
import com.matchbook.realtime.redis.RedisBroker;
import com.matchbook.realtime.redis.RedisClients;
import com.matchbook.realtime.redis.RedisNode;
import com.matchbook.realtime.redis.RedisOperator;
import com.matchbook.realtime.redis.RedisPresence;
import com.matchbook.realtime.redis.RedisReplication;
import com.matchbook.realtime.redis.RedisStore;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.Stores;

import jakarta.json.JsonObject;

import redis.clients.jedis.UnifiedJedis;

/**
 * Where history lives and how frames reach other nodes: one node on its own ({@code matchbook.broker=local}: the
 * configured store, the hub as the only broker), or several nodes sharing Redis ({@code redis}: one Redis at
 * {@code matchbook.redis.uri}, or a Redis Cluster given by {@code matchbook.redis.cluster}).
 *
 * <p>Fan-out of stored messages has one owner, the store, on both backends: it announces each durable entry to the
 * listener it is opened with (the hub). On Redis the store's write scripts publish each entry to the nodes holding
 * its user, and each node's store announces what arrives there ({@code redis.StoredFeed}). The broker carries only
 * what is not stored (receipts, typing, broadcasts).
 *
 * @param node     this node's id in the cluster ("local" on its own)
 * @param store    per-user history and numbering
 * @param broker   fan-out to the node(s) holding a recipient
 * @param presence connection counts, local or cluster-wide
 * @param presenceChanged told when a user's connection count on this node changes
 * @param cluster  stats of every live node by node id (empty on one node)
 * @param closer   releases what the backend opened
 * @param clusterOperator the console over every node (empty on one node: the node's own operator is the cluster's)
 */
record Backend(String node, MessageStore store, Broker broker, Presence presence, Consumer<String> presenceChanged,
               Supplier<Map<String, String>> cluster, Runnable closer, Optional<Operator> clusterOperator) {
    private static final System.Logger LOG = System.getLogger(Backend.class.getName());
    /**
     * How often each node sweeps Redis Cluster's owed second steps: a crash between the steps leaves a recipient
     * without a copy the sender has for at most about this long (a retry with the same key finishes it at once). A
     * sweep reads all 16,384 slots' owed indexes, so not much more often.
     */
    private static final Duration OWED_SWEEP = Duration.ofSeconds(15);

    /**
     * The first half of a backend, built before the hub (whose replay reads the store): the store, and how to build
     * the rest once the hub exists ({@link #around}).
     */
    record Opening(MessageStore store, Function<Hub, Backend> rest) {
        Backend around(Hub hub) {
            return rest.apply(hub);
        }
    }

    /**
     * Opens the store named by the settings.
     *
     * @param toHub where the store announces each durable entry, in seq order per user (on Redis: each entry of a user
     *              this node holds, whichever node wrote it)
     * @param localOperator this node's console actions, asked for when another node's console sends a command
     */
    static Opening open(Settings settings, ScheduledExecutorService timer, Supplier<JsonObject> stats,
                        MessageStore.StoredListener toHub, Supplier<LocalOperator> localOperator) {
        if (!settings.broker().equals("redis")) {
            MessageStore store = Stores.open(settings, toHub);
            return new Opening(store, hub -> local(store, hub));
        }
        UnifiedJedis client = RedisClients.create(settings.redis());
        RedisReplication replication = new RedisReplication(client, settings.redis().replicasToAck(),
                                                            settings.redis().waitTimeout(),
                                                            RedisClients.primary(client));
        replication.refresh();
        RedisStore store = new RedisStore(client, replication, settings.historyMaxPerUser(), settings.historyTtl(),
                                          settings.idempotencyTtl(), toHub);
        return new Opening(store, hub -> redis(client, store, hub, timer, stats, localOperator));
    }

    private static void repair(RedisStore store) {
        try {
            store.repairOwed();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=owed-repair-failed error=" + e);
        }
    }

    private static Backend local(MessageStore store, Hub hub) {
        Broker broker = new LocalBroker(hub);
        // Presence is the hub's own count here: nobody else needs telling when it changes.
        return new Backend("local", store, broker, hub::connectionsOf, user -> { }, Map::of, store::close,
                           Optional.empty());
    }

    private static Backend redis(UnifiedJedis client, RedisStore store, Hub hub, ScheduledExecutorService timer,
                                 Supplier<JsonObject> stats, Supplier<LocalOperator> localOperator) {
        String node = UUID.randomUUID().toString().substring(0, 8);
        RedisPresence presence = new RedisPresence(client, node, hub::connectionsOf, timer,
                                                   Settings.Timings.PRESENCE_GRACE);
        RedisOperator operator = new RedisOperator(client, localOperator);
        RedisBroker broker = new RedisBroker(client, node, hub, store, presence, operator::answer,
                                             RedisClients.primary(client));
        RedisNode self = new RedisNode(client, node, stats, store);
        self.start(timer);
        // Redis Cluster: sends and edits cut off between their two steps are finished by whichever node sweeps
        // first (a no-op on one Redis).
        timer.scheduleWithFixedDelay(() -> repair(store), OWED_SWEEP.toSeconds(), OWED_SWEEP.toSeconds(),
                                     TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(broker::followPrimary, 1, 1, TimeUnit.SECONDS);
        return new Backend(node, store, broker, presence, presence::changed, self::clusterStats, () -> {
            broker.close();
            self.leave();
            client.close();
        }, Optional.of(operator));
    }
}
