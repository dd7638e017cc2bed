package com.matchbook.realtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import com.matchbook.realtime.limits.ConnectionLimits;
import com.matchbook.realtime.redis.RedisSettings;

/**
 * Every {@code matchbook.*} key of the contract, read once at start. Defaults live here and in
 * {@code application.yaml} with the same values, so a missing yaml changes nothing. The fixed timings that are no key
 * are in {@link Timings}, at the end: past 300 lines with them, because one file then holds every value the server
 * runs by, and a timing derived from a key (the keepalive sweep from the heartbeat) sits beside it.
 *
 * @param heartbeatInterval   how often the server pings each connection
 * @param heartbeatTimeout    how long a connection may stay silent after a ping before it is closed
 * @param maxTextBytes        largest text message (whole message, UTF-8 bytes)
 * @param maxBinaryBytes      largest binary payload (header not counted), and largest HTTP body
 * @param historyMaxPerUser   messages kept per user
 * @param historyTtl          how long a message is kept
 * @param outboxLimit         frames queued for one connection before it counts as too slow (close 4008)
 * @param store               {@code tiered} (default), {@code disk} (SQLite only), {@code journal} or {@code memory}
 * @param dataDir             where the tiered, disk and journal stores keep their files
 * @param authSecret          HS256 secret; empty means auth is off
 * @param authLeeway          clock skew tolerated on a token's {@code exp} (at most 60 s)
 * @param devTokens           whether the dev-only token endpoint exists
 * @param allowedOrigins      exact origins allowed to open sockets; empty means "same host only"
 * @param framesPerSecond     client frames per connection per second
 * @param connectionsPerUser  live connections one user may hold
 * @param sendsPerSecond      {@code /send-message} calls per client IP per second
 * @param connectionsPerSecond new connections admitted per second on this node
 * @param broker              {@code local} or {@code redis}
 * @param redis               how to reach Redis when the broker is Redis: {@code matchbook.redis.*} (one server,
 *                            Sentinel or Redis Cluster, and replicas-to-ack)
 * @param connectionLimits    TCP-level caps and timeouts: {@code matchbook.limits.max-connections},
 *                            {@code .connections-per-address}, {@code .header-timeout}, {@code matchbook.trusted-proxies}
 * @param idempotencyTtl      how long a (sender, idempotency key) record answers repeats (docs/protocol.md 1.1)
 * @param editWindow          how long after sentAt its author may edit a message (docs/protocol.md 1.1)
 * @param compression         {@code matchbook.compression}: accept permessage-deflate offers (RFC 7692)
 * @param conformanceEcho     {@code matchbook.conformance.echo}: open {@code /echo} for conformance suites
 * @param drainWindow         {@code matchbook.drain-window}: on SIGTERM, reconnect hints are spread over this, and it
 *                            is the longest wait for the close frames to be written ({@link Timings#DRAIN_WINDOW})
 * @param hotHistory          what the {@code tiered} store keeps in memory: {@code matchbook.history.hot-window},
 *                            {@code matchbook.history.hot-bytes}
 * @param selectorThreads     {@code matchbook.ws.selector-threads}: N reads every WebSocket on N selector threads
 *                            (by default one per processor with the local broker and a store other than
 *                            {@code disk}: {@link #defaultSelectorThreads}); 0 reads each on a virtual thread of its
 *                            own (README "Configuration"). N is refused with the Redis broker: a send waits for Redis
 *                            on the thread that read it, which would hold up every socket of its selector
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
                       RedisSettings redis,
                       ConnectionLimits connectionLimits,
                       Duration idempotencyTtl,
                       Duration editWindow,
                       boolean compression,
                       boolean conformanceEcho,
                       Duration drainWindow,
                       HotHistory hotHistory,
                       int selectorThreads) {

    /** A binary frame's JSON header may be this large on top of the payload. */
    public static final int MAX_BINARY_HEADER_BYTES = 16 * 1024;

    /**
     * permessage-deflate is off unless configured, chosen from the benchmark's {@code compression} scenario (README,
     * "Compression"): for typical chat messages it saved about a fifth of the bytes on the wire and cost 46-66% more
     * server CPU per message, and a client that keeps its context costs about 17 KB more per connection.
     */
    public static final boolean DEFAULT_COMPRESSION = false;

    /**
     * The embedded on-disk store a node runs with unless {@code matchbook.store} says otherwise: the journal for recent
     * history and SQLite for the rest (README "Storage"; chosen by the benchmark, docs/performance.md, "The tiered
     * store"). It starts from a data directory the SQLite store wrote, keeping every seq.
     */
    public static final String DEFAULT_STORE = "tiered";

    public Settings {
        allowedOrigins = List.copyOf(allowedOrigins);
        require(heartbeatInterval.isPositive(), "matchbook.heartbeat-interval must be positive");
        require(heartbeatTimeout.isPositive(), "matchbook.heartbeat-timeout must be positive");
        require(maxTextBytes > 0, "matchbook.max-text-bytes must be positive");
        require(maxBinaryBytes > 0, "matchbook.max-binary-bytes must be positive");
        require(historyMaxPerUser > 0, "matchbook.history.max-per-user must be positive");
        require(!drainWindow.isNegative(), "matchbook.drain-window must not be negative");
        require(outboxLimit > 0, "matchbook.outbox-limit must be positive");
        require(store.equals("disk") || store.equals("journal") || store.equals("tiered") || store.equals("memory"),
                "matchbook.store must be 'disk', 'journal', 'tiered' or 'memory'");
        require(!hotHistory.window().isNegative(), "matchbook.history.hot-window must not be negative");
        require(hotHistory.bytes() > 0, "matchbook.history.hot-bytes must be positive");
        require(broker.equals("local") || broker.equals("redis"), "matchbook.broker must be 'local' or 'redis'");
        require(selectorThreads >= 0 && selectorThreads <= 256,
                "matchbook.ws.selector-threads must be between 0 and 256");
        require(selectorThreads == 0 || broker.equals("local"),
                "matchbook.ws.selector-threads needs matchbook.broker=local: a send to Redis would wait on the selector");
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
                mb.get("store").asString().map(Settings::storeName).orElse(DEFAULT_STORE),
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
                RedisSettings.from(mb),
                ConnectionLimits.from(mb),
                mb.get("idempotency-ttl").as(Duration.class).orElse(Timings.IDEMPOTENCY_TTL),
                mb.get("edit-window").as(Duration.class).orElse(Duration.ofMinutes(15)),
                mb.get("compression").asBoolean().orElse(DEFAULT_COMPRESSION),
                mb.get("conformance.echo").asBoolean().orElse(false),
                mb.get("drain-window").as(Duration.class).orElse(Timings.DRAIN_WINDOW),
                new HotHistory(mb.get("history.hot-window").as(Duration.class).orElse(HotHistory.WINDOW),
                               mb.get("history.hot-bytes").asLong().orElse(HotHistory.BYTES)),
                mb.get("ws.selector-threads").asInt()
                        .orElse(defaultSelectorThreads(mb.get("broker").asString().orElse("local"),
                                                       mb.get("store").asString().map(Settings::storeName)
                                                               .orElse(DEFAULT_STORE))));
    }

    /**
     * {@code matchbook.ws.selector-threads} when it is not set: one selector thread per processor the JVM may use with
     * the local broker and a store whose sends answer with a future ({@code tiered}, {@code journal}, {@code memory}:
     * the read model the benchmark chose, README "Where the limits are"); none with Redis, whose sends wait for Redis on
     * the thread that read them, nor with the {@code disk} store, whose sends may wait for SQLite.
     */
    static int defaultSelectorThreads(String broker, String store) {
        return broker.equals("local") && !store.equals("disk")
                ? Math.min(256, Runtime.getRuntime().availableProcessors()) : 0;
    }

    /**
     * What the {@code tiered} store keeps in memory; older entries live in its archive on disk (README "Storage").
     *
     * @param window entries younger than this stay in memory ({@code matchbook.history.hot-window}, default a day:
     *               reconnect replays and open conversations read the last hours)
     * @param bytes  memory (off the heap) for those entries, in bytes, above which the window halves until they fit
     *               ({@code matchbook.history.hot-bytes}, default 256 MiB, a quarter of the heap's maximum that
     *               {@code ./run.sh} sets, which also bounds direct memory). The settings refuse a negative window or
     *               a size below 1 with {@link IllegalArgumentException}.
     */
    public record HotHistory(Duration window, long bytes) {
        /** The default {@code matchbook.history.hot-window}: a day. */
        public static final Duration WINDOW = Duration.ofDays(1);
        /** The default {@code matchbook.history.hot-bytes}: 256 MiB. */
        public static final long BYTES = 256L << 20;
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

    /**
     * "embedded" (and an empty value) names the default embedded on-disk store, {@value #DEFAULT_STORE}; "sqlite" and
     * "disk" the SQLite store, which was the default before 2026-12-01.
     */
    private static String storeName(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "embedded" -> DEFAULT_STORE;
            case "disk", "sqlite" -> "disk";
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

    /**
     * Every fixed timing of the server in one place, each with why it has its value and what it is derived from.
     * Only {@link #DRAIN_WINDOW} is also a key ({@code matchbook.drain-window}); the heartbeat's two are keys of the
     * contract and live above. What the contract fixes (a token's leeway of at most 60 s, docs/protocol.md) stays with
     * the rule's code. Figures in the comments are the defaults.
     */
    public static final class Timings {

        // Sockets and the hub.

        /**
         * A single socket write blocked this long means a peer that stopped reading (close 4008); a replay page waits
         * as long for room in the outbox.
         */
        public static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
        /** A peer that has not answered our close frame within this is cut off: half a write's allowance. */
        public static final Duration CLOSE_GRACE = WRITE_TIMEOUT.dividedBy(2);
        /**
         * Told to a connection refused at {@code matchbook.limits.connections-per-user} (4029 "reconnect after the
         * delay in the reason", PROTOCOL.md "Close codes"): room comes only when one of the user's other tabs or
         * devices closes, so not soon; half a minute keeps a 17th tab from knocking every second.
         */
        public static final Duration RETRY_WHEN_USER_FULL = Duration.ofSeconds(30);
        /** Told to clients sent away because history could not be read: short, the store usually comes back quickly. */
        public static final Duration RETRY_WHEN_STORE_DOWN = Duration.ofSeconds(2);
        /**
         * The keepalive sweeps at most this often ({@link #keepaliveSweep}): below 20 ms a sweep over every connection
         * would cost more than the precision is worth.
         */
        public static final Duration SWEEP_MIN = Duration.ofMillis(20);
        /** ... and at least this often, so a timeout, an expired token or an unanswered close is acted on in 1 s. */
        public static final Duration SWEEP_MAX = Duration.ofSeconds(1);
        /**
         * An SSE stream is probed this often: a blocking socket shows a client that left only by a failed write, so a
         * closed stream stops counting as online within about two probes instead of at the heartbeat (ping after
         * heartbeat-interval, gone after heartbeat-timeout more: 35 s). A few bytes per stream per second.
         */
        public static final Duration STREAM_PROBE = Duration.ofSeconds(1);
        /**
         * Closing an SSE stream waits this long for a write under way, then ends it without its close event. The closer
         * is often the keepalive sweep: held longer than its slowest period it would delay every other connection.
         */
        public static final Duration STREAM_CLOSE_WAIT = SWEEP_MAX;
        /**
         * Default of {@code matchbook.limits.header-timeout} (PROTOCOL.md configuration keys): a connection with no
         * complete request head by then is closed, which frees sockets held by silent or slow-loris clients.
         */
        public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
        /**
         * The soonest reconnect hint after a frame-rate cut-off (4029): sooner, the client would meet a bucket still
         * nearly empty and be cut off again.
         */
        public static final Duration MIN_RATE_LIMIT_HINT = Duration.ofSeconds(1);
        /**
         * A client address's protocol violations are logged once per this, the rest counted: a broken or hostile
         * client sending garbage in a loop cannot fill the log, and its count still shows within a minute.
         */
        public static final Duration PROTOCOL_ERROR_LOG_INTERVAL = Duration.ofMinutes(1);

        // Shutdown.

        /**
         * Default of {@code matchbook.drain-window}: SIGTERM closes every socket with 1001 and reconnect hints spread
         * over this, so clients do not all come back in the same second, and waits up to as long for the close frames.
         * With the store's close after it ({@link #WRITER_STOP_WAIT}, {@link #ANNOUNCER_STOP_WAIT}) the process
         * exits within 20 s, inside the 30 s a supervisor (a container runtime's default grace) allows before it kills.
         */
        public static final Duration DRAIN_WINDOW = Duration.ofSeconds(5);
        /** The soonest reconnect hint a drained client gets; the rest are spread over the drain window. */
        public static final Duration DRAIN_FIRST_HINT = Duration.ofMillis(250);

        // The store.

        /**
         * How long an HTTP caller waits for the store to confirm a write (a send's 202, a read marker, a block) before
         * the answer is 503: one group commit takes milliseconds even under load, and a client's or proxy's request
         * timeout (30-60 s) is far longer, so the client hears of a stuck store from us.
         */
        public static final Duration STORE_WAIT = Duration.ofSeconds(10);
        /** On close, the disk store's writer gets as long to commit what is queued as a caller waits for one commit. */
        public static final Duration WRITER_STOP_WAIT = STORE_WAIT;
        /** After the writer's last commit the announcer has only in-memory hand-offs left: half the writer's wait. */
        public static final Duration ANNOUNCER_STOP_WAIT = WRITER_STOP_WAIT.dividedBy(2);
        /** History past its TTL (days) is trimmed this often: no finer grain is needed, and each trim stays small. */
        public static final Duration TRIM_PERIOD = Duration.ofMinutes(1);
        /** The first trim runs soon after start, so history left past its TTL while the server was down goes early. */
        public static final Duration TRIM_FIRST_DELAY = Duration.ofSeconds(1);
        /**
         * Default of {@code matchbook.idempotency-ttl} (PROTOCOL.md configuration keys): a day covers a client's
         * retries across a night offline, and bounds the records kept per sender.
         */
        public static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

        // Admin.

        /** The per-second series (PROTOCOL.md "Operator console") is sampled this often: one point per second. */
        public static final Duration SAMPLE_TICK = Duration.ofSeconds(1);

        // Redis (several nodes).

        /** Each node writes its alive key and stats this often. */
        public static final Duration REDIS_BEAT = Duration.ofSeconds(2);
        /**
         * A node's alive key expires after four beats, and then the node counts as gone (presence leaves it out):
         * three beats may be missed (a GC pause, a Redis failover) without flapping its users offline.
         */
        public static final Duration REDIS_ALIVE_FOR = REDIS_BEAT.multipliedBy(4);
        /**
         * Connect, read and pool-wait timeout of every Redis command: one beat, so a stuck command fails before the
         * next beat is due and the node says Redis is down within a beat. Never unbounded: commons-pool's unbounded
         * wait spins, and on one core that starves the virtual thread opening the connection it waits for.
         */
        public static final Duration REDIS_TIMEOUT = REDIS_BEAT;
        /** First wait before the broker takes up a lost subscription again; doubled per failure, with jitter. */
        public static final Duration REDIS_BACKOFF_BASE = Duration.ofMillis(100);
        /**
         * The longest such wait: a node is back within seconds of Redis, and many nodes do not hammer one that is
         * starting.
         */
        public static final Duration REDIS_BACKOFF_CAP = Duration.ofSeconds(5);
        /**
         * A user whose last connection went stays online this long, so a quick reconnect (a page reload, a network
         * switch) does not flap them offline. A product choice, not tied to any socket timing.
         */
        public static final Duration PRESENCE_GRACE = Duration.ofSeconds(5);
        /**
         * The console waits this long for every node's answer: as long as a live node's beat, so a node slower than
         * that is left out of the answer rather than holding up the page.
         */
        public static final Duration CONSOLE_REPLY_WAIT = REDIS_BEAT;
        /** A reply list outlives the wait by far, so a late answer expires on its own rather than staying in Redis. */
        public static final Duration CONSOLE_REPLY_KEPT = CONSOLE_REPLY_WAIT.multipliedBy(5);

        // TCP connections and the listener.

        /** A refused client gets this long to read the answer and hang up before the socket is closed under it. */
        public static final Duration REFUSAL_LINGER = Duration.ofSeconds(1);
        /**
         * After closing a WebSocket for a protocol violation, what the client still sends is read and dropped for at
         * most this long: a socket closed with unread bytes is reset, and the reset can destroy our Close frame
         * before the client reads it (it would see 1006 instead of the contract's code). The same grace as a refusal.
         */
        public static final Duration CLOSE_LINGER = REFUSAL_LINGER;
        /**
         * ... ending sooner once the client has sent nothing for this long: on any network a client still sending
         * has bytes arriving well within it, and a client that stopped need not hold the socket for the whole linger.
         */
        public static final Duration CLOSE_LINGER_QUIET = Duration.ofMillis(100);
        /** ... and at most this many bytes are dropped, so a client cannot hold the linger with a fast stream. */
        public static final long CLOSE_LINGER_BYTES = 1L << 20;
        /** The connection deadlines are swept at most this often ({@link #deadlineSweep}) ... */
        public static final Duration DEADLINE_SWEEP_MIN = Duration.ofMillis(10);
        /** ... and at least this often, however long the header timeout. */
        public static final Duration DEADLINE_SWEEP_MAX = Duration.ofMillis(250);
        /**
         * The listener is probed this often (and each probe waits as long); two refusals in a row make it dead, so a
         * dead listener ends the process within two periods.
         */
        public static final Duration LISTENER_PROBE = Duration.ofSeconds(2);

        // Odds and ends.

        /** A dev token ({@code /dev/token}) lasts this long: short, so the page's renewal runs while one tries it. */
        public static final Duration DEV_TOKEN_LIFETIME = Duration.ofMinutes(5);

        private Timings() {
        }

        /**
         * How often the keepalive sweeps: a quarter of the shorter of {@code matchbook.heartbeat-interval} and
         * {@code matchbook.heartbeat-timeout}, so a timeout is acted on within a quarter of its length, within
         * {@link #SWEEP_MIN} and {@link #SWEEP_MAX}.
         */
        public static Duration keepaliveSweep(Duration heartbeatInterval, Duration heartbeatTimeout) {
            long quarter = Math.min(heartbeatInterval.toNanos(), heartbeatTimeout.toNanos()) / 4;
            return Duration.ofNanos(Math.clamp(quarter, SWEEP_MIN.toNanos(), SWEEP_MAX.toNanos()));
        }

        /**
         * How often the TCP guard checks its deadlines: every tenth of {@code matchbook.limits.header-timeout}, so a
         * slow head is cut within 110% of it, within {@link #DEADLINE_SWEEP_MIN} and {@link #DEADLINE_SWEEP_MAX}.
         */
        public static Duration deadlineSweep(Duration headerTimeout) {
            return Duration.ofNanos(Math.clamp(headerTimeout.toNanos() / 10, DEADLINE_SWEEP_MIN.toNanos(),
                                               DEADLINE_SWEEP_MAX.toNanos()));
        }
    }
}
