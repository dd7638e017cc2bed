package com.matchbook.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code idle}: what a connection that does nothing costs. Resident memory before and after opening N sockets,
 * divided by N; for the JVMs also after a full GC on both sides, since a JVM's RSS holds garbage until it collects.
 * The server's CPU while they sit idle shows what its keepalive and bookkeeping cost.
 */
final class IdleScenario {
    private IdleScenario() {
    }

    static Map<String, Object> run(Context ctx) throws Exception {
        int n = ctx.sizes.idleConnections();
        ServerProcess server = ctx.start();
        Thread.sleep(500);
        server.gc();
        long before = server.rss();
        Map<String, Object> r = new LinkedHashMap<>();
        try (Load load = new Load(ctx.kind.wire, ctx.kind.ports(), false)) {
            List<Client> clients = Context.clients(0, n, i -> false);
            long t = System.nanoTime();
            load.connectEveryone(clients, Duration.ofSeconds(120));
            double connectS = (System.nanoTime() - t) / 1e9;
            Proc.Meter meter = new Proc.Meter(server);
            Thread.sleep(ctx.sizes.idleHold().toMillis());
            meter.stop();
            int open = load.call(() -> load.welcomed);
            if (open < n) {
                throw new IllegalStateException("only " + open + " of " + n + " idle connections stayed open: "
                        + load.closeCodes);
            }
            long after = server.rss();
            r.put("connections", n);
            r.put("hold_s", ctx.sizes.idleHold().toSeconds());
            r.put("bytes_per_conn", (after - before) / n);
            if (ctx.kind.jvm) {
                server.gc();
                r.put("bytes_per_conn_after_gc", (server.rss() - before) / n);
            }
            r.put("rss_before_mb", mb(before));
            r.put("rss_after_mb", mb(after));
            r.put("idle_cpu_pct", meter.serverPct);
            meter.putInto(r);
            r.put("connect_per_s", Math.round(n / connectS));
            load.closeAll(clients);
        }
        return r;
    }

    static double mb(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }
}
