package com.matchbook.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code idle}: what a connection that does nothing costs. Resident memory before and after opening N sockets,
 * divided by N; for the JVMs also after a full GC on both sides, since a JVM's RSS holds garbage until it collects.
 * The server's CPU while they sit idle shows what its keepalive and bookkeeping cost. On the way up the sockets
 * are opened in steps ({@link Sizes#idleSteps()}, then N), and the server's RSS is read at each: the curve of
 * memory against connections ({@code steps}).
 */
final class IdleScenario {
    /** Pause after each step's connects before reading RSS: the server's last allocations for them settle. */
    static final Duration STEP_SETTLE = Duration.ofSeconds(1);

    private IdleScenario() {
    }

    static Map<String, Object> run(Context ctx) throws Exception {
        int n = ctx.sizes.idleConnections();
        ServerProcess server = ctx.start();
        Thread.sleep(500);
        server.gc();
        long before = server.rss();
        Map<String, Object> r = new LinkedHashMap<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        try (Load load = new Load(ctx.kind.wire, ctx.kind.ports(), false)) {
            List<Client> clients = Context.clients(0, n, i -> false);
            long connectNanos = 0;
            int from = 0;
            for (int count : counts(ctx.sizes.idleSteps(), n)) {
                long t = System.nanoTime();
                load.connectEveryone(clients.subList(from, count), Duration.ofSeconds(120));
                connectNanos += System.nanoTime() - t;
                from = count;
                Thread.sleep(STEP_SETTLE.toMillis());
                long rss = server.rss();
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("connections", count);
                s.put("rss_mb", mb(rss));
                s.put("bytes_per_conn", (rss - before) / count);
                steps.add(s);
            }
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
            r.put("connect_per_s", Math.round(n / (connectNanos / 1e9)));
            r.put("steps", steps);
            load.closeAll(clients);
        }
        return r;
    }

    /** The step counts under {@code n}, in order, then {@code n}. */
    static List<Integer> counts(int[] steps, int n) {
        List<Integer> counts = new ArrayList<>();
        for (int s : steps) {
            if (s > 0 && s < n && (counts.isEmpty() || s > counts.get(counts.size() - 1))) {
                counts.add(s);
            }
        }
        counts.add(n);
        return counts;
    }

    static double mb(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }
}
