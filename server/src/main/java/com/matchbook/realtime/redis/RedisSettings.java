package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import io.helidon.config.Config;

/**
 * How a node reaches Redis, and when a write counts as safe (docs/protocol.md "Configuration keys", 1.1): one server
 * by URI, the primary that a group of Sentinels names (the node follows their failovers by itself), or a Redis Cluster.
 *
 * @param uri           {@code matchbook.redis.uri} ({@code redis://[user:password@]host:port[/db]}, or
 *                      {@code rediss://} for TLS). With Sentinels its host and port are not used (the Sentinels name
 *                      the primary); its user, password, database and scheme still apply to the primary
 * @param sentinels     {@code matchbook.redis.sentinels}: each Sentinel's {@code host:port}, comma-separated in the
 *                      config; empty means no Sentinel
 * @param masterName    {@code matchbook.redis.master-name}: the name the Sentinels monitor the primary under
 *                      ({@code sentinel monitor NAME ...}); required with Sentinels
 * @param cluster       {@code matchbook.redis.cluster}: Redis Cluster seed nodes ({@code host:port}, comma separated);
 *                      when given, {@code uri} and the Sentinels are not used (README "Several nodes")
 * @param replicasToAck {@code matchbook.redis.replicas-to-ack}: how many replicas must confirm a write ({@code WAIT})
 *                      before it is acknowledged; empty means the default, 1 while the primary has a replica online
 *                      and 0 while it has none ({@link RedisReplication})
 * @param waitTimeout   {@code matchbook.redis.wait-timeout} (default {@code PT1S}): how long a write waits for those
 *                      confirmations; past it the sender gets 503 {@code unavailable} and retries with the same key
 */
public record RedisSettings(URI uri, List<String> sentinels, String masterName, List<String> cluster,
                            OptionalInt replicasToAck, Duration waitTimeout) {
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(1);

    public RedisSettings {
        sentinels = List.copyOf(sentinels);
        cluster = List.copyOf(cluster);
        for (String seed : cluster) {
            require(seed.matches("[^:\\s]+:\\d{1,5}"),
                    "matchbook.redis.cluster must list host:port seeds, got '" + seed + "'");
        }
        for (String s : sentinels) {
            int colon = s.lastIndexOf(':');
            require(colon > 0 && s.substring(colon + 1).matches("[0-9]{1,5}"),
                    "matchbook.redis.sentinels: '" + s + "' is not host:port");
        }
        require(sentinels.isEmpty() || !masterName.isBlank(),
                "matchbook.redis.master-name is required with matchbook.redis.sentinels");
        require(replicasToAck.orElse(0) >= 0, "matchbook.redis.replicas-to-ack must be 0 or more");
        require(!waitTimeout.isNegative() && !waitTimeout.isZero(), "matchbook.redis.wait-timeout must be positive");
    }

    /** One server at {@code uri}, the default for the rest. */
    public static RedisSettings single(String uri) {
        return new RedisSettings(URI.create(uri), List.of(), "", List.of(), OptionalInt.empty(), DEFAULT_WAIT_TIMEOUT);
    }

    /** From the {@code matchbook} config node. */
    public static RedisSettings from(Config mb) {
        Config redis = mb.get("redis");
        return new RedisSettings(
                URI.create(redis.get("uri").asString().orElse("redis://127.0.0.1:6379")),
                redis.get("sentinels").asString().map(RedisSettings::commaList).orElse(List.of()),
                redis.get("master-name").asString().orElse(""),
                redis.get("cluster").asString().map(RedisSettings::commaList).orElse(List.of()),
                redis.get("replicas-to-ack").asInt().map(OptionalInt::of).orElse(OptionalInt.empty()),
                redis.get("wait-timeout").as(Duration.class).orElse(DEFAULT_WAIT_TIMEOUT));
    }

    /** Whether the primary is found through Sentinels. */
    public boolean sentinel() {
        return !sentinels.isEmpty();
    }

    private static List<String> commaList(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
