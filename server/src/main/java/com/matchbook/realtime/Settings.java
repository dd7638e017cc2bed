package com.matchbook.realtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.matchbook.realtime.limits.ConnectionLimits;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Every {@code matchbook.*} key of the contract, read once at start. Defaults live here and in
 * {@code application.yaml} with the same values, so a missing yaml changes nothing.
 *
 * @param heartbeatInterval   how often the server pings each connection
 * @param heartbeatTimeout    how long a connection may stay silent after a ping before it is closed
 * @param maxTextBytes        largest text message (whole message, UTF-8 bytes)
 * @param maxBinaryBytes      largest binary payload (header not counted), and largest HTTP body
 * @param historyMaxPerUser   messages kept per user
 * @param historyTtl          how long a message is kept
 * @param outboxLimit         frames queued for one connection before it counts as too slow (close 4008)
 * @param store               {@code disk} (default) or {@code memory}
 * @param dataDir             where the disk store keeps its files
 * @param authSecret          HS256 secret; empty means auth is off
 * @param authLeeway          clock skew tolerated on a token's {@code exp} (at most 60 s)
 * @param devTokens           whether the dev-only token endpoint exists
 * @param allowedOrigins      exact origins allowed to open sockets; empty means "same host only"
 * @param framesPerSecond     client frames per connection per second
 * @param connectionsPerUser  live connections one user may hold
 * @param sendsPerSecond      {@code /send-message} calls per client IP per second
 * @param connectionsPerSecond new connections admitted per second on this node
 * @param broker              {@code local} or {@code redis}
 * @param redisUri            Redis address when the broker is Redis
 * @param connectionLimits    TCP-level caps and timeouts: {@code matchbook.limits.max-connections},
 *                            {@code .connections-per-address}, {@code .header-timeout}, {@code matchbook.trusted-proxies}
 * @param idempotencyTtl      how long a (sender, idempotency key) record answers repeats (docs/protocol.md 1.1)
 * @param editWindow          how long after sentAt its author may edit a message (docs/protocol.md 1.1)
 * @param compression         {@code matchbook.compression}: accept permessage-deflate offers (RFC 7692)
 * @param conformanceEcho     {@code matchbook.conformance.echo}: open {@code /echo} for conformance suites
 */
public record Settings(Duration heartbeatInterval,
                       Duration heartbeatTimeout,
                       int maxTextBytes,
                       int maxBinaryBytes,
                       int historyMaxPerUser,
                       Duration historyTtl,
                       int outboxLimit,
                       String store,
                       Path dataDir,
                       String authSecret,
                       Duration authLeeway,
                       boolean devTokens,
                       List<String> allowedOrigins,
                       int framesPerSecond,
                       int connectionsPerUser,
                       int sendsPerSecond,
                       int connectionsPerSecond,
                       String broker,
                       String redisUri,
                       ConnectionLimits connectionLimits,
                       Duration idempotencyTtl,
                       Duration editWindow,
                       boolean compression,
                       boolean conformanceEcho) {

    /** A binary frame's JSON header may be this large on top of the payload. */
    public static final int MAX_BINARY_HEADER_BYTES = 16 * 1024;

    /** A single socket write blocked this long means a peer that stopped reading; a replay page waits as long. */
    public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    /** A peer that has not answered our close frame within this is cut off: half a write's allowance. */
    public static final Duration CLOSE_GRACE = WRITE_TIMEOUT.dividedBy(2);
    /** Told to clients sent away because history could not be read: short, the store usually comes back quickly. */
    public static final Duration RETRY_WHEN_STORE_DOWN = Duration.ofSeconds(2);
    /**
     * On Redis, a user whose last connection went stays online this long, so a quick reconnect (a page reload, a
     * network switch) does not flap them offline. A product choice, not tied to any socket timing.
     */
    public static final Duration PRESENCE_GRACE = Duration.ofSeconds(5);
    /** The soonest reconnect hint a drained client gets; the rest are spread over the drain window. */
    public static final Duration DRAIN_FIRST_HINT = Duration.ofMillis(250);

    /**
     * permessage-deflate is off unless configured: a typical chat frame (~200 bytes of JSON) shrinks little when each
     * message is compressed on its own, and keeping context per connection costs zlib state on every idle socket.
     * The benchmark measures both (README, "Compression").
     */
    public static final boolean DEFAULT_COMPRESSION = false;

    public Settings {
        allowedOrigins = List.copyOf(allowedOrigins);
        require(!heartbeatInterval.isNegative() && !heartbeatInterval.isZero(), "matchbook.heartbeat-interval must be positive");
        require(!heartbeatTimeout.isNegative() && !heartbeatTimeout.isZero(), "matchbook.heartbeat-timeout must be positive");
        require(maxTextBytes > 0, "matchbook.max-text-bytes must be positive");
        require(maxBinaryBytes > 0, "matchbook.max-binary-bytes must be positive");
        require(historyMaxPerUser > 0, "matchbook.history.max-per-user must be positive");
        require(outboxLimit > 0, "matchbook.outbox-limit must be positive");
        require(store.equals("disk") || store.equals("memory"), "matchbook.store must be 'disk' or 'memory'");
        require(broker.equals("local") || broker.equals("redis"), "matchbook.broker must be 'local' or 'redis'");
    }

    /** The defaults with the in-memory store, overridden by {@code key -> value} pairs: for tests and tools. */
    public static Settings of(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("matchbook.store", "memory");
        return from(Config.just(ConfigSources.create(all)));
    }

    public static Settings from(Config root) {
        Config mb = root.get("matchbook");
        return new Settings(
                mb.get("heartbeat-interval").as(Duration.class).orElse(Duration.ofSeconds(25)),
                mb.get("heartbeat-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                mb.get("max-text-bytes").asInt().orElse(65536),
                mb.get("max-binary-bytes").asInt().orElse(1048576),
                mb.get("history.max-per-user").asInt().orElse(100_000),
                mb.get("history.ttl").as(Duration.class).orElse(Duration.ofDays(365)),
                mb.get("outbox-limit").asInt().orElse(1000),
                mb.get("store").asString().map(Settings::storeName).orElse("disk"),
                Path.of(mb.get("data-dir").asString().orElse("./data")),
                mb.get("auth.secret").asString().orElse(""),
                mb.get("auth.leeway").as(Duration.class).orElse(Duration.ofSeconds(30)),
                mb.get("auth.dev-tokens").asBoolean().orElse(false),
                mb.get("allowed-origins").asString().map(Settings::commaList).orElse(List.of()),
                mb.get("limits.frames-per-second").asInt().orElse(50),
                mb.get("limits.connections-per-user").asInt().orElse(16),
                mb.get("limits.sends-per-second").asInt().orElse(200),
                mb.get("limits.connections-per-second").asInt().orElse(500),
                mb.get("broker").asString().orElse("local"),
                mb.get("redis.uri").asString().orElse("redis://127.0.0.1:6379"),
                ConnectionLimits.from(mb),
                mb.get("idempotency-ttl").as(Duration.class).orElse(Duration.ofHours(24)),
                mb.get("edit-window").as(Duration.class).orElse(Duration.ofMinutes(15)),
                mb.get("compression").asBoolean().orElse(DEFAULT_COMPRESSION),
                mb.get("conformance.echo").asBoolean().orElse(false));
    }

    /** The largest whole binary message in bytes: {@code [4-byte length][JSON header][payload]} at their limits. */
    public long maxBinaryFrameBytes() {
        return 4L + MAX_BINARY_HEADER_BYTES + maxBinaryBytes;
    }

    public boolean authEnabled() {
        return !authSecret.isEmpty();
    }

    public Optional<String> secret() {
        return authEnabled() ? Optional.of(authSecret) : Optional.empty();
    }

    /** Where history lives: with the Redis broker it is Redis, whatever {@code matchbook.store} says. */
    public String historyStore() {
        return broker.equals("redis") ? "redis" : store;
    }

    /** "embedded", "sqlite" and "disk" all name the embedded on-disk store. */
    private static String storeName(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "disk", "embedded", "sqlite" -> "disk";
            default -> v;
        };
    }

    private static List<String> commaList(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
