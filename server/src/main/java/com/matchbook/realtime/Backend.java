package com.matchbook.realtime;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
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
import com.matchbook.realtime.redis.RedisStore;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.Stores;

import jakarta.json.JsonObject;

import redis.clients.jedis.RedisClient;

/**
 * Where history lives and how frames reach other nodes: one node on its own ({@code matchbook.broker=local}: the
 * configured store, the hub as the only broker), or several nodes sharing Redis ({@code redis}).
 *
 * <p>Fan-out of stored messages has one owner per backend: on one node the store announces each committed message to
 * the hub; on Redis the append script publishes it to the nodes holding its recipient, whose subscriber hands it to
 * their hub. The broker carries only what is not stored (receipts, typing, broadcasts).
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

    static Backend local(Settings settings, Hub hub) {
        Broker broker = new LocalBroker(hub);
        // The store announces each durable message, in seq order per recipient, to the hub.
        MessageStore store = Stores.open(settings, hub::deliver);
        // Presence is the hub's own count here: nobody else needs telling when it changes.
        return new Backend("local", store, broker, hub::connectionsOf, user -> { }, Map::of, () -> {
            broker.close();
            store.close();
        }, Optional.empty());
    }

    static Backend redis(Settings settings, Hub hub, ScheduledExecutorService timer, Supplier<JsonObject> stats,
                         Supplier<LocalOperator> localOperator) {
        RedisClient client = RedisClients.create(URI.create(settings.redisUri()));
        String node = UUID.randomUUID().toString().substring(0, 8);
        RedisPresence presence = new RedisPresence(client, node, hub::connectionsOf, timer, Settings.PRESENCE_GRACE);
        RedisStore store = new RedisStore(client, settings.historyMaxPerUser(), settings.historyTtl());
        RedisOperator operator = new RedisOperator(client, localOperator);
        RedisBroker broker = new RedisBroker(client, node, hub, store, presence, operator::answer);
        RedisNode self = new RedisNode(client, node, stats, store);
        self.start(timer);
        return new Backend(node, store, broker, presence, presence::changed, self::clusterStats, () -> {
            broker.close();
            self.leave();
            client.close();
        }, Optional.of(operator));
    }
}
