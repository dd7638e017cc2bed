package com.matchbook.realtime;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.admin.LatencyWindow;
import com.matchbook.realtime.admin.LocalOperator;
import com.matchbook.realtime.admin.Operator;
import com.matchbook.realtime.admin.Sampler;
import com.matchbook.realtime.admin.SeriesRing;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Tokens;
import com.matchbook.realtime.delivery.Broker;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.hub.Connection;
import com.matchbook.realtime.hub.Ending;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.HubEvents;
import com.matchbook.realtime.hub.HubLimits;
import com.matchbook.realtime.hub.Keepalive;
import com.matchbook.realtime.hub.Presence;
import com.matchbook.realtime.hub.Replay;
import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.limits.Admission;
import com.matchbook.realtime.limits.ConnectionGuard;
import com.matchbook.realtime.limits.SendRate;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.ws.WsEndpointFactory;
import com.matchbook.realtime.ws.wire.WireLoops;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The service's parts, built once with {@code new} and wired here, in the order they depend on each other. They are
 * closed so that new work stops first (timers, keepalive), then the hub, then the backend that holds the store.
 * {@code Main} and the tests both start from this. What the hub tells the rest of the service is {@link HubWiring}, at
 * the end of this file.
 */
public final class Realtime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Realtime.class.getName());

    private final Settings settings;
    private final Stats stats = new Stats();
    private final MessageStore store;
    private final Hub hub;
    private final Broker broker;
    private final Delivery delivery;
    private final Keepalive keepalive;
    private final Replay replay;
    private final Access access;
    private final Admission admission;
    private final SendRate sendRate;
    private final WsEndpointFactory endpoints;
    private final ScheduledExecutorService timers;
    private final Backend backend;
    private final ConnectionGuard connectionGuard;
    /** The selector threads that read WebSockets ({@code matchbook.ws.selector-threads}), or none. */
    private final Optional<WireLoops> wireLoops;
    private final LatencyWindow deliveryLatency = new LatencyWindow();
    private final SeriesRing series = new SeriesRing();
    private final LocalOperator localOperator;
    private final Operator operator;

    public Realtime(Settings settings) {
        this.settings = settings;
        this.connectionGuard = new ConnectionGuard(settings.connectionLimits(), Timings.REFUSAL_LINGER,
                                                   Timings.deadlineSweep(settings.connectionLimits().headerTimeout()));
        this.wireLoops = settings.selectorThreads() > 0 ? Optional.of(new WireLoops(settings.selectorThreads()))
                                                        : Optional.empty();
        this.timers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "matchbook-timers");
            t.setDaemon(true);
            return t;
        });
        HubLimits limits = new HubLimits(settings.outboxLimit(), settings.connectionsPerUser(),
                                         settings.heartbeatInterval(), settings.heartbeatTimeout(),
                                         Timings.WRITE_TIMEOUT, Timings.CLOSE_GRACE, Timings.RETRY_WHEN_STORE_DOWN);
        // The one edge that runs back up: the store announces what it commits to the hub, which is built after the
        // store because the hub's replay reads it. Nothing is announced before a message is accepted, which needs the
        // endpoints this constructor builds last.
        Backend.Opening opening = Backend.open(settings, timers, this::statsJson, message -> hub().deliver(message),
                                                   this::localOperator);
        this.store = opening.store();
        this.replay = new Replay(store, stats, limits);
        this.keepalive = new Keepalive(stats, limits);
        this.hub = new Hub(limits, stats, replay, keepalive, new HubWiring(ServerMetrics.latency()));
        this.backend = opening.around(hub);
        ServerMetrics.register(stats, hub);
        ServerMetrics.registerStore(store);
        keepalive.start(hub);
        this.broker = backend.broker();
        this.delivery = new Delivery(store, broker, stats, settings.editWindow());
        this.access = new Access(settings.secret().map(s -> new Tokens(s, settings.authLeeway(), Clock.systemUTC())));
        this.admission = new Admission(settings.connectionsPerSecond(), settings.drainWindow());
        this.sendRate = new SendRate(settings.sendsPerSecond());
        this.endpoints = new WsEndpointFactory(hub, delivery, stats, settings, access, admission);
        timers.scheduleWithFixedDelay(this::trim, Timings.TRIM_FIRST_DELAY.toSeconds(), Timings.TRIM_PERIOD.toSeconds(),
                                      TimeUnit.SECONDS);
        new Sampler(stats, connectionGuard, hub, deliveryLatency, series).start(timers);
        this.localOperator = new LocalOperator(backend.node(), hub, series, this::ready, stats::uptimeMs);
        this.operator = backend.clusterOperator().orElse(localOperator);
    }

    /** Null only while the constructor runs: a console command from another node then goes unanswered. */
    private LocalOperator localOperator() {
        return localOperator;
    }

    /** The operator console's actions and figures, over the whole cluster. */
    public Operator operator() {
        return operator;
    }

    public Settings settings() {
        return settings;
    }

    public Stats stats() {
        return stats;
    }

    public Hub hub() {
        return hub;
    }

    public Delivery delivery() {
        return delivery;
    }

    public Access access() {
        return access;
    }

    public Admission admission() {
        return admission;
    }

    public SendRate sendRate() {
        return sendRate;
    }

    /** Makes the {@code /ws} listener of each new socket. */
    public WsEndpointFactory endpoints() {
        return endpoints;
    }

    /** The selector threads that read this node's WebSockets, when {@code matchbook.ws.selector-threads} is above 0. */
    public Optional<WireLoops> wireLoops() {
        return wireLoops;
    }

    /** Open TCP connections, their caps and timeouts (issue 11). */
    public ConnectionGuard connectionGuard() {
        return connectionGuard;
    }

    public Presence presence() {
        return backend.presence();
    }

    /** This node's counters, as {@code /api/stats} gives them. */
    public JsonObject statsJson() {
        return Json.createObjectBuilder()
                .add("connections", hub.connectionCount())
                .add("users", hub.userCount())
                .add("messagesIn", stats.messagesIn())
                .add("messagesOut", stats.messagesOut())
                .add("uptimeMs", stats.uptimeMs())
                .add("opened", stats.opened())
                .add("closed", stats.closed())
                .add("refused", stats.refusedCount())
                .add("slowConsumers", stats.slowConsumers())
                .add("heartbeatTimeouts", stats.heartbeatTimeouts())
                .add("replayed", stats.replayed())
                .add("tcp", Json.createObjectBuilder()
                        .add("open", connectionGuard.open())
                        .add("maxConnections", settings.connectionLimits().maxConnections())
                        .add("refusedFull", connectionGuard.refusedFull())
                        .add("refusedPerAddress", connectionGuard.refusedPerAddress())
                        .add("headerTimeouts", connectionGuard.headTimeouts())
                        .add("idleTimeouts", connectionGuard.idleTimeouts())
                        .add("bodyTimeouts", connectionGuard.bodyTimeouts()))
                .build();
    }

    public String nodeId() {
        return backend.node();
    }

    /** Every live node's stats by node id, when nodes share Redis; empty on a single node. */
    public Map<String, String> clusterStats() {
        return backend.cluster().get();
    }

    public Keepalive keepalive() {
        return keepalive;
    }

    public boolean ready() {
        return store.healthy();
    }

    /**
     * Closes every socket with {@link CloseCodes#GOING_AWAY} and a reconnect hint spread over {@code window}, so
     * clients do not all come back in the same second, then waits (up to the window) for the close frames to be
     * written. {@code Main} passes {@code matchbook.drain-window}.
     */
    public void drain(Duration window) {
        admission.drain();
        Collection<Connection> all = hub.connections();
        LOG.log(Level.INFO, "event=drain connections=" + all.size());
        long spreadMs = Math.max(1, window.toMillis());
        int i = 0;
        for (Connection c : all) {
            long hintMs = Timings.DRAIN_FIRST_HINT.toMillis() + (spreadMs * i++) / Math.max(1, all.size());
            hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.GOING_AWAY, "server going away; retry-after-ms=" + hintMs);
        }
        hub.awaitFlushed(window);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        keepalive.close();
        hub.close();
        backend.closer().run();
        connectionGuard.close();
        wireLoops.ifPresent(WireLoops::close);
    }

    private void trim() {
        try {
            store.trim(Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=trim-failed", e);
        }
    }

    /**
     * Who hears what the hub tells the rest of the service. Presence goes to the backend, which is built around the
     * hub (it delivers into it and counts its connections), so it is read from the field; the first change comes with
     * the first connection, after the constructor.
     */
    private final class HubWiring implements HubEvents {
        private final LongConsumer latency;

        HubWiring(LongConsumer latency) {
            this.latency = latency;
        }

        @Override
        public void presenceChanged(String userId) {
            backend.presenceChanged().accept(userId);
        }

        @Override
        public void delivered(long latencyNanos) {
            latency.accept(latencyNanos);
            deliveryLatency.record(latencyNanos);
        }
    }
}
