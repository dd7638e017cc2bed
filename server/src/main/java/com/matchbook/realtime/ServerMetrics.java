package com.matchbook.realtime;

import java.util.concurrent.TimeUnit;
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

/** The service's meters on Helidon's registry (Prometheus text at {@code /metrics}), read from the live counters. */
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
                                     .description("Open WebSocket connections on this node"));
        registry.getOrCreate(Gauge.builder("matchbook.users", hub::userCount)
                                     .description("Users with at least one connection on this node"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.messages.in", stats, Stats::messagesIn)
                                     .description("Messages accepted (HTTP, socket, broadcast)"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.messages.out", stats, Stats::messagesOut)
                                     .description("Message frames written to connections"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.connections.opened", stats, Stats::opened)
                                     .description("Connections opened"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.connections.refused", stats, Stats::refusedCount)
                                     .description("Sockets refused with a close code"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.slow.consumers", stats, Stats::slowConsumers)
                                     .description("Connections cut for not reading (4008)"));
        registry.getOrCreate(FunctionalCounter.builder("matchbook.heartbeat.timeouts", stats, Stats::heartbeatTimeouts)
                                     .description("Connections closed for silence after a ping"));
    }

    private static MeterRegistry registry() {
        // The registry the /metrics observer serves (Helidon's MeterRegistryFactory gives the global one).
        return Services.get(MeterRegistry.class);
    }

    /** TCP-level meters (issue 11): open connections, refusals by cause, timeouts by phase. */
    static void registerConnections(ConnectionGuard guard) {
        MeterRegistry registry = Services.get(MeterRegistry.class);
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
    }

}
