package com.matchbook.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code slow}: p2p at the fixed rate, first with every client reading (the baseline), then with 1% of them no
 * longer reading their sockets (they keep sending). Healthy recipients' p99 in the second phase over the baseline's
 * says whether stuck clients hurt everyone else. Messages addressed to the stuck clients are not counted.
 */
final class SlowScenario {
    /** One client in a hundred: index 50, 150, 250, ... */
    static boolean isSlow(int index) {
        return index % 100 == 50;
    }

    private SlowScenario() {
    }

    static Map<String, Object> run(Context ctx) throws Exception {
        Sizes sizes = ctx.sizes;
        ServerProcess server = ctx.start();
        Map<String, Object> r = new LinkedHashMap<>();
        try (Load load = new Load(ctx.kind.wire, ctx.kind.ports(), false)) {
            List<Client> clients = Context.clients(0, sizes.slowUsers(), SlowScenario::isSlow);
            load.connectEveryone(clients, Duration.ofSeconds(60));
            List<Client> slow = clients.stream().filter(c -> c.slow).toList();
            // As in p2p: each node of a cluster gets the warm-up one server gets, then works off any backlog.
            Phase.run(load, clients, sizes.fixedRate(), sizes.warmup().multipliedBy(ctx.kind.ports().length))
                    .drain(Duration.ofSeconds(2));
            P2pScenario.settle(server);

            double baselineFrom = server.uptimeS();
            Phase baseline = Phase.run(load, clients, sizes.fixedRate(), sizes.fixedPhase());
            baseline.drain(Duration.ofSeconds(3));
            double baselineTo = server.uptimeS();
            Map<String, Object> base = baseline.summary();
            if ((long) base.get("sent") == 0 || (long) base.get("lost") == (long) base.get("sent")) {
                throw new IllegalStateException("nothing arrived in the baseline: " + base + " " + load.closeCodes);
            }

            load.call(() -> {
                slow.forEach(c -> c.channel.config().setAutoRead(false));
                return null;
            });
            Proc.Meter meter = new Proc.Meter(server);
            double stuckFrom = server.uptimeS();
            Phase stuck = Phase.run(load, clients, sizes.fixedRate(), sizes.slowPhase());
            stuck.drain(Duration.ofSeconds(3));
            double stuckTo = server.uptimeS();
            meter.stop();
            Map<String, Object> during = stuck.summary();
            int slowOpen = load.call(() -> (int) slow.stream().filter(c -> c.channel.isActive()).count());

            double baseP99 = (double) base.get("p99_ms");
            double p99 = (double) during.get("p99_ms");
            r.put("users", clients.size());
            r.put("stopped_clients", slow.size());
            r.put("rate_msgs_s", sizes.fixedRate());
            r.put("healthy_p99_ratio", baseP99 > 0 ? Math.round(p99 / baseP99 * 100) / 100.0 : null);
            r.put("baseline_p99_ms", baseP99);
            r.put("healthy_p99_ms", p99);
            r.put("healthy_p50_ms", during.get("p50_ms"));
            r.put("baseline_p99_ms_by_second", base.get("p99_ms_by_second"));
            r.put("healthy_p99_ms_by_second", during.get("p99_ms_by_second"));
            r.put("baseline_from_uptime_s", Math.round(baselineFrom * 100) / 100.0);
            r.put("healthy_from_uptime_s", Math.round(stuckFrom * 100) / 100.0);
            // Whether the collector ran inside either window: on one core a cycle there can set that window's p99.
            if (ctx.kind.jvm && ctx.singleLog() != null) {
                List<GcLog.Cycle> cycles = GcLog.cycles(ctx.singleLog());
                r.put("baseline_gc_s", GcLog.secondsWithin(cycles, baselineFrom, baselineTo));
                r.put("healthy_gc_s", GcLog.secondsWithin(cycles, stuckFrom, stuckTo));
                r.put("baseline_gc_s_by_second", GcLog.bySecond(cycles, baselineFrom, base));
                r.put("healthy_gc_s_by_second", GcLog.bySecond(cycles, stuckFrom, during));
            }
            r.put("lost", during.get("lost"));
            r.put("to_stopped_clients", during.get("to_stopped_clients"));
            r.put("stopped_clients_still_open", slowOpen);
            r.put("closed_by_server", load.call(() -> load.closes));
            r.put("server_answers", load.call(() -> Map.copyOf(load.closeCodes)).toString());
            r.put("phase_s", sizes.slowPhase().toSeconds());
            meter.putInto(r);
            r.put("server_rss_mb", IdleScenario.mb(server.rss()));
            load.closeAll(clients);
        }
        return r;
    }
}
