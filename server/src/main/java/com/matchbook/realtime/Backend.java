package com.matchbook.realtime;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import com.matchbook.realtime.delivery.Broker;
import com.matchbook.realtime.delivery.LocalBroker;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Presence;
import com.matchbook.realtime.redis.RedisBroker;
import com.matchbook.realtime.redis.RedisClients;
import com.matchbook.realtime.redis.RedisNode;
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
 * @param node     this node's id in the cluster ("local" on its own)
 * @param store    per-user history and numbering
 * @param broker   fan-out to the node(s) holding a recipient
 * @param presence connection counts, local or cluster-wide
 * @param cluster  stats of every live node by node id (empty on one node)
 * @param closer   releases what the backend opened
 */
record Backend(String node, MessageStore store, Broker broker, Presence presence, Supplier<Map<String, String>> cluster,
               Runnable closer) {
    /** A quick reconnect within this time does not show a user offline. */
    private static final Duration PRESENCE_GRACE = Duration.ofSeconds(5);

    static Backend local(Settings settings, Hub hub) {
        Broker broker = new LocalBroker(hub);
        // The store announces each durable message, in seq order per recipient, through the broker.
        MessageStore store = Stores.open(settings, broker::message);
        return new Backend("local", store, broker, hub::connectionsOf, Map::of, () -> {
            broker.close();
            store.close();
        });
    }

    static Backend redis(Settings settings, Hub hub, ScheduledExecutorService timer, Supplier<JsonObject> stats) {
        RedisClient client = RedisClients.create(URI.create(settings.redisUri()));
        String node = UUID.randomUUID().toString().substring(0, 8);
        RedisPresence presence = new RedisPresence(client, node, hub::connectionsOf, timer, PRESENCE_GRACE);
        hub.onPresenceChange(presence::changed);
        RedisStore store = new RedisStore(client, settings.historyMaxPerUser(), settings.historyTtl());
        RedisBroker broker = new RedisBroker(client, node, hub, store, presence);
        RedisNode self = new RedisNode(client, node, stats, store);
        self.start(timer);
        return new Backend(node, store, broker, presence, self::clusterStats, () -> {
            broker.close();
            self.leave();
            client.close();
        });
    }
}
