package com.matchbook.realtime;

import java.lang.ref.Reference;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;

import com.matchbook.realtime.store.StoreMeter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A store's meters as a scrape reads them: current, for the life of the store, collections or not. */
class ServerMetricsTest {
    @Test
    void aStoresCounterAndGaugeKeepReadingTheStoreAfterCollections() {
        AtomicLong moved = new AtomicLong();
        Object store = new Object();   // what the server holds for its life
        ServerMetrics.registerMeters(store, List.of(
                StoreMeter.counter("matchbook.test.moved.entries", "test counter", moved::get),
                StoreMeter.gauge("matchbook.test.window.seconds", "test gauge", moved::get)));
        for (long i = 1; i <= 3; i++) {
            // Micrometer holds a function counter's state weakly: a meter held by nothing else would be collected
            // here and the counter would stay at its last value.
            System.gc();
            moved.set(10 * i);
            assertEquals(10 * i, meter(FunctionalCounter.class, "matchbook.test.moved.entries").count(), "counter");
            assertEquals(10.0 * i, meter(Gauge.class, "matchbook.test.window.seconds").value().doubleValue(),
                         "gauge");
        }
        Reference.reachabilityFence(store);
    }

    private static <M extends Meter> M meter(Class<M> kind, String name) {
        return Services.get(MeterRegistry.class).meter(kind, name, List.of()).orElseThrow();
    }
}
