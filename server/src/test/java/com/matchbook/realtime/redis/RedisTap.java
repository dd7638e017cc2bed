package com.matchbook.realtime.redis;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.matchbook.realtime.message.Message;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A stand-in for one node's subscription in store tests: it subscribes to a node's channel, says which users the node
 * holds (as {@link RedisPresence} does when a socket registers), and hands every published stream entry to a consumer,
 * as {@link RedisBroker} hands them to the hub.
 */
public final class RedisTap implements AutoCloseable {
    private final UnifiedJedis redis;
    /** Redis Cluster: every primary, each of which may have published to this node; empty on one Redis. */
    private final List<RedisClient> primaries;
    private final String node;
    private final ConcurrentHashMap<String, Boolean> held = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> markers = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final Subscriber subscriber;
    private final Thread thread;

    public RedisTap(String uri, String node, Consumer<Message> entries) {
        this(RedisClients.create(URI.create(uri)), List.of(), node, entries);
    }

    /** A tap on Redis Cluster: subscribed through the cluster client, synced with every primary in {@code seeds}. */
    public static RedisTap cluster(List<String> seeds, String node, Consumer<Message> entries) {
        return new RedisTap(RedisClients.cluster(seeds),
                            seeds.stream().map(s -> RedisClient.builder().hostAndPort(HostAndPort.from(s)).build())
                                    .toList(),
                            node, entries);
    }

    private RedisTap(UnifiedJedis redis, List<RedisClient> primaries, String node, Consumer<Message> entries) {
        this.redis = redis;
        this.primaries = primaries;
        this.node = node;
        this.subscriber = new Subscriber(entries);
        this.thread = Thread.ofPlatform().daemon(true).name("redis-tap-" + node)
                .start(() -> redis.subscribe(subscriber, RedisKeys.nodeChannel(node)));
        subscribed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** This node holds a connection of {@code user} from now on: the scripts publish the user's entries to it. */
    public void hold(String user) {
        // Written before any caller goes on: a send racing the first hold must find the node in the hash.
        held.computeIfAbsent(user, u -> {
            redis.hset(RedisKeys.nodes(u), node, "1");
            return true;
        });
    }

    /**
     * Returns once every entry published to this node before the call has reached the consumer. In Redis Cluster a
     * marker goes from every primary: each one's publications reach the subscriber in the order it made them.
     */
    public void sync() {
        if (primaries.isEmpty()) {
            String marker = UUID.randomUUID().toString();
            CompletableFuture<Void> seen = markers.computeIfAbsent(marker, m -> new CompletableFuture<>());
            redis.publish(RedisKeys.nodeChannel(node), "F" + marker);
            seen.orTimeout(10, TimeUnit.SECONDS).join();
            return;
        }
        for (RedisClient primary : primaries) {
            String marker = UUID.randomUUID().toString();
            CompletableFuture<Void> seen = markers.computeIfAbsent(marker, m -> new CompletableFuture<>());
            primary.publish(RedisKeys.nodeChannel(node), "F" + marker);
            seen.orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public void close() {
        if (subscriber.isSubscribed()) {
            subscriber.unsubscribe();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
        primaries.forEach(RedisClient::close);
    }

    private final class Subscriber extends JedisPubSub {
        private final Consumer<Message> entries;

        Subscriber(Consumer<Message> entries) {
            this.entries = entries;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscribed.complete(null);
        }

        @Override
        public void onMessage(String channel, String payload) {
            switch (payload.charAt(0)) {
                case 'M' -> entries.accept(RedisCodec.decodePublished(payload.substring(1)));
                case 'F' -> markers.computeIfAbsent(payload.substring(1), m -> new CompletableFuture<>())
                        .complete(null);
                default -> throw new AssertionError("unexpected publication " + payload);
            }
        }
    }
}
