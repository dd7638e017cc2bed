package com.matchbook.realtime;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;

import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.limits.ConnectionGuard;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreMeter;

/**
 * The service's meters on Helidon's registry (Prometheus text at {@code /metrics}), read from the live counters.
 *
 * <p>Names follow Prometheus conventions (prometheus.io/docs/practices/naming): base units in the name, counters end
 * in {@code _total} (the exporter appends it to every counter, and {@code _seconds} to timers), one name per thing
 * measured with labels for its kinds ({@code matchbook_connections_refused_total{reason=...}}). The Grafana dashboard
 * in {@code docs/grafana/matchbook.json} reads these names.
 *
 * <pre>
 * matchbook_connections                          gauge    open connections (WebSocket and SSE)
 * matchbook_sse_connections                      gauge    of those, SSE fallback streams
 * matchbook_users                                gauge    users with a connection
 * matchbook_connections_opened_total             counter
 * matchbook_connections_closed_total             counter
 * matchbook_connections_refused_total{reason}    counter  admission | origin | token
 * matchbook_rate_limited_total                   counter  sockets cut off for their frame rate (4029)
 * matchbook_slow_consumers_total                 counter  connections cut for not reading (4008)
 * matchbook_heartbeat_timeouts_total             counter
 * matchbook_messages_in_total                    counter  accepted (HTTP, socket, broadcast)
 * matchbook_messages_out_total                   counter  message frames written to connections
 * matchbook_messages_replayed_total              counter  sent from history on (re)connect
 * matchbook_delivery_latency_seconds{quantile}   summary  accepted to written, live messages
 * matchbook_store_commit_seconds{quantile}       summary  accepted to durable
 * matchbook_tcp_connections                      gauge    open TCP connections (HTTP and WebSocket)
 * matchbook_tcp_refused_total{reason}            counter  max_connections | per_address
 * matchbook_tcp_timeouts_total{phase}            counter  request_head | keep_alive | request_body
 * matchbook_store_memory_bytes                   gauge    memory, journal, tiered: direct memory of entries
 * matchbook_archive_moved_entries_total          counter  tiered: entries moved to matchbook.db
 * matchbook_archive_move_failures_total          counter  tiered: mover passes that failed
 * matchbook_archive_window_seconds               gauge    tiered: entries older than this move
 * </pre>
 */
final class ServerMetrics {
    private ServerMetrics() {
    }

    /** Where delivery latencies (nanoseconds) are recorded: a timer with the median and p99. */
    static LongConsumer latency() {
        Timer latency = registry().getOrCreate(Timer.builder("matchbook.delivery.latency")
                                                       .description("From accepting a message to writing it to a socket")
                                                       .percentiles(0.5, 0.99)
                                                       .publishPercentileHistogram(false));
        return nanos -> latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers the gauges and counters, read from the hub and the counters whenever {@code /metrics} is scraped. */
    static void register(Stats stats, Hub hub) {
        MeterRegistry registry = registry();
        registry.getOrCreate(Gauge.builder("matchbook.connections", hub::connectionCount)
                                     .description("Open connections on this node (WebSocket and SSE)"));
        registry.getOrCreate(Gauge.builder("matchbook.sse.connections",
                                           () -> hub.connections().stream().filter(c -> c.isStream()).count())
                                     .description("Open SSE fallback streams on this node"));
        registry.getOrCreate(Gauge.builder("matchbook.users", hub::userCount)
                                     .description("Users with at least one connection on this node"));
        counter(registry, "matchbook.connections.opened", stats, Stats::opened, "Connections opened");
        counter(registry, "matchbook.connections.closed", stats, Stats::closed, "Connections ended, for any reason");
        refused(registry, stats, "admission", Stats::refusedAdmission);
        refused(registry, stats, "origin", Stats::refusedOrigin);
        refused(registry, stats, "token", Stats::refusedToken);
        counter(registry, "matchbook.rate.limited", stats, Stats::rateLimitedCount,
                "Sockets cut off for their frame rate (4029)");
        counter(registry, "matchbook.slow.consumers", stats, Stats::slowConsumers,
                "Connections cut for not reading (4008)");
        counter(registry, "matchbook.heartbeat.timeouts", stats, Stats::heartbeatTimeouts,
                "Connections closed for silence after a ping");
        counter(registry, "matchbook.messages.in", stats, Stats::messagesIn, "Messages accepted (HTTP, socket, broadcast)");
        counter(registry, "matchbook.messages.out", stats, Stats::messagesOut, "Message frames written to connections");
        counter(registry, "matchbook.messages.replayed", stats, Stats::replayed,
                "Messages sent from history when a connection opened or filled a gap");
        Timer commit = registry.getOrCreate(Timer.builder("matchbook.store.commit")
                                                    .description("From accepting a message to its being durable")
                                                    .percentiles(0.5, 0.99)
                                                    .publishPercentileHistogram(false));
        stats.timeCommitsWith(nanos -> commit.record(nanos, TimeUnit.NANOSECONDS));
    }

    /** The store's own figures ({@link MessageStore#meters()}), read at each scrape. */
    static void registerStore(MessageStore store) {
        registerMeters(store, store.meters());
    }

    /**
     * Registers {@code meters}, read through {@code owner}: the registry holds a counter's state object only weakly
     * (Micrometer's function counters), so the state must be something the server holds for its life, not the
     * meter, or the counter would stop at its last value after the first collection.
     */
    static void registerMeters(Object owner, List<StoreMeter> meters) {
        MeterRegistry registry = registry();
        for (StoreMeter meter : meters) {
            if (meter.counter()) {
                registry.getOrCreate(FunctionalCounter.builder(meter.name(), owner, o -> meter.value().getAsLong())
                                             .description(meter.description()));
            } else {
                registry.getOrCreate(Gauge.builder(meter.name(), owner, o -> (double) meter.value().getAsLong())
                                             .description(meter.description()));
            }
        }
    }

    private static MeterRegistry registry() {
        // The registry the /metrics observer serves (Helidon's MeterRegistryFactory gives the global one).
        return Services.get(MeterRegistry.class);
    }

    /** TCP-level meters (issue 11): open connections, refusals by cause, timeouts by phase. */
    static void registerConnections(ConnectionGuard guard) {
        MeterRegistry registry = registry();
        registry.getOrCreate(Gauge.builder("matchbook.tcp.connections", guard::open)
                                     .description("Open TCP connections (HTTP and WebSocket) on this node"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.tcp.refused", guard, ConnectionGuard::refusedFull)
                                     .addTag(Tag.create("reason", "max_connections"))
                                     .description("Connections refused: node at matchbook.limits.max-connections"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.tcp.refused", guard,
                                                       ConnectionGuard::refusedPerAddress)
                                     .addTag(Tag.create("reason", "per_address"))
                                     .description("Connections refused: address at connections-per-address"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.tcp.timeouts", guard, ConnectionGuard::headTimeouts)
                                     .addTag(Tag.create("phase", "request_head"))
                                     .description("Connections closed for no complete request head in header-timeout"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.tcp.timeouts", guard, ConnectionGuard::idleTimeouts)
                                     .addTag(Tag.create("phase", "keep_alive"))
                                     .description("Keep-alive connections closed: no next request in header-timeout"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.tcp.timeouts", guard, ConnectionGuard::bodyTimeouts)
                                     .addTag(Tag.create("phase", "request_body"))
                                     .description("Connections closed: a request body slower than the minimum rate"));
    }

    private static void counter(MeterRegistry registry, String name, Stats stats, Function<Stats, Long> read,
                                String description) {
        registry.getOrCreate(FunctionalCounter.builder(name, stats, read).description(description));
    }

    private static void refused(MeterRegistry registry, Stats stats, String reason, Function<Stats, Long> read) {
        registry.getOrCreate(FunctionalCounter.builder("matchbook.connections.refused", stats, read)
                                     .description("Sockets refused with a close code, by reason")
                                     .tags(List.of(Tag.create("reason", reason))));
    }
}
