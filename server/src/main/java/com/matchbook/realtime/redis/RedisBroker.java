package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.delivery.Broker;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.message.OutFrame;

import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Cross-node delivery of what is not stored (receipts and typing to a user, broadcasts) over Redis pub/sub, one
 * channel per node (a node receives only what concerns its users, and needs one subscription however many users come
 * and go), plus the channel every node takes for broadcasts (and console commands, handed to {@code commands}).
 *
 * <p>This node's one subscription also carries the stream scripts' publications of stored entries (prefix
 * {@link StoredFeed#PREFIX}); those are the store's business, so they are handed to the store's {@link StoredFeed}
 * unread. One subscription for both keeps one pub/sub connection per node.
 *
 * <p>In Redis Cluster this stays plain pub/sub (a PUBLISH reaches subscribers on every shard over the cluster bus),
 * not sharded pub/sub: the stream scripts publish in the script that numbers an entry, and a script may only
 * {@code SPUBLISH} to a channel in its own slot, while a node's channel serves all its users (README, "Redis
 * Cluster"). The subscription is held on any one primary and moves to another when that one goes.
 *
 * <p>When the subscription drops (Redis restarted or unreachable) it is taken up again with backoff; then presence
 * is rewritten and the store catches up what its publications carried meanwhile, for the users this node holds.
 * Through Sentinel, a subscription is taken on the primary the client knows at that moment; a killed primary ends it
 * (and the retry finds the promoted replica), and {@link #followPrimary} ends one left on a primary that was demoted
 * rather than killed.
 */
public final class RedisBroker implements Broker, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisBroker.class.getName());

    private final UnifiedJedis redis;
    private final String node;
    private final Hub hub;
    private final StoredFeed stored;
    private final RedisPresence presence;
    private final Consumer<String> commands;
    private final Supplier<Object> primary;
    private final Subscriber subscriber = new Subscriber();
    private volatile Object subscribedTo;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Subscribes at once, on a thread of its own.
     *
     * @param store    whose feed gets the publications of stored entries
     * @param commands answers console commands published to every node ({@link RedisOperator#answer})
     * @param primary  the server the client sends commands to now ({@link RedisClients#primary}); equal values mean
     *                 the same server
     */
    public RedisBroker(UnifiedJedis redis, String node, Hub hub, RedisStore store, RedisPresence presence,
                       Consumer<String> commands, Supplier<Object> primary) {
        this.commands = commands;
        this.primary = primary;
        this.redis = redis;
        this.node = node;
        this.hub = hub;
        this.stored = store.feed();
        this.presence = presence;
        this.thread = Thread.ofPlatform().name("matchbook-redis-subscriber").daemon(true).start(this::subscribeLoop);
    }

    @Override
    public void toUser(String userId, OutFrame frame) {
        try {
            RedisScripts.run(redis, RedisScripts.ROUTE, List.of(RedisKeys.nodes(userId)),
                             List.of("U" + userId + "\n" + frame.text()));
        } catch (JedisException e) {
            hub.sendToUser(userId, frame);   // Redis is down: at least this node's connections get it
        }
    }

    @Override
    public int toAll(OutFrame frame, String channel) {
        try {
            redis.publish(RedisKeys.ALL_CHANNEL, "A" + channel + "\n" + frame.text());
            return hub.connectionCountFor(channel);
        } catch (JedisException e) {
            return hub.broadcast(frame, channel);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (subscriber.isSubscribed()) {
            try {
                subscriber.unsubscribe();
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "unsubscribe failed", e);
            }
        }
        // Unpark, not interrupt: Jedis's subscription loop stops at an interrupt before it has read every unsubscribe
        // reply, and the connection would go back to the pool with those replies unread (the next command on it, such
        // as RedisNode.leave's DEL, then reads an array). Unparking only ends a backoff wait.
        LockSupport.unpark(thread);
    }

    /**
     * Ends the subscription when the client's primary is no longer the one it was taken on (a Sentinel failover), so
     * that it is taken up again, with catch-up, on the new one. Called on the node's timer.
     */
    public void followPrimary() {
        Object on = subscribedTo;
        Object now = primary.get();
        if (on == null || on.equals(now)) {
            return;
        }
        subscribedTo = null;   // once per change: the loop records the primary of its next subscription
        LOG.log(Level.INFO, "event=redis-primary-changed from=" + on + " to=" + now);
        if (subscriber.isSubscribed()) {
            try {
                subscriber.unsubscribe();
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "unsubscribe from the old primary failed", e);
            }
        }
        LockSupport.unpark(thread);   // a retry waiting out its backoff goes now: there is a primary to go to
    }

    private void subscribeLoop() {
        int failures = 0;
        boolean first = true;
        while (!closed) {
            try {
                subscriber.resumed = !first;
                subscribedTo = primary.get();
                redis.subscribe(subscriber, RedisKeys.nodeChannel(node), RedisKeys.ALL_CHANNEL);
                failures = 0;
            } catch (JedisException e) {
                if (closed) {
                    return;
                }
                failures++;
                long capMs = Math.min(Timings.REDIS_BACKOFF_CAP.toMillis(),
                                      Timings.REDIS_BACKOFF_BASE.toMillis() << Math.min(failures, 10));
                long waitMs = ThreadLocalRandom.current().nextLong(capMs / 2, capMs + 1);
                LOG.log(Level.WARNING,
                        "event=redis-subscription-lost retry-in-ms=" + waitMs + " error=" + e.getMessage());
                LockSupport.parkNanos(Duration.ofMillis(waitMs).toNanos());
            }
            first = false;
        }
    }

    /** Back after an outage: say again which users are here, and have the store fill what its publications missed. */
    private void resume() {
        presence.rewrite(hub.userIds());
        stored.catchUp(hub.userIds(), hub::lowestLastSeq);
        LOG.log(Level.INFO, "event=redis-subscription-resumed users=" + hub.userCount());
    }

    private final class Subscriber extends JedisPubSub {
        private volatile boolean resumed;

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            if (resumed && subscribedChannels == 2) {
                resumed = false;
                Thread.ofVirtual().start(RedisBroker.this::resume);
            }
        }

        @Override
        public void onMessage(String channel, String payload) {
            try {
                switch (payload.charAt(0)) {
                    case StoredFeed.PREFIX -> stored.published(payload);
                    case 'U' -> {
                        int nl = payload.indexOf('\n');
                        hub.sendToUser(payload.substring(1, nl), OutFrame.text(payload.substring(nl + 1)));
                    }
                    case 'A' -> {
                        int nl = payload.indexOf('\n');
                        hub.broadcast(OutFrame.text(payload.substring(nl + 1)), payload.substring(1, nl));
                    }
                    case 'C' -> commands.accept(payload.substring(1));
                    default -> LOG.log(Level.WARNING, "event=unknown-publication channel=" + channel);
                }
            } catch (RuntimeException e) {
                // One bad publication must not end the subscription for every user of this node.
                LOG.log(Level.WARNING, "event=publication-failed channel=" + channel, e);
            }
        }
    }
}
