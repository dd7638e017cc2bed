package com.matchbook.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code p2p}: each user sends to random others over its socket, open loop. First latency at a fixed, modest rate;
 * then the offered rate is stepped up until a step misses p99 <= 50 ms, loses a message, or falls behind its
 * schedule; the last step that passed is the throughput.
 */
final class P2pScenario {
    static final double P99_LIMIT_MS = 50;

    private P2pScenario() {
    }

    static Map<String, Object> run(Context ctx) throws Exception {
        Sizes sizes = ctx.sizes;
        ServerProcess server = ctx.start();
        Map<String, Object> r = new LinkedHashMap<>();
        try (Load load = new Load(ctx.kind.wire, ctx.kind.ports(), false)) {
            List<Client> clients = Context.clients(0, sizes.p2pUsers(), i -> false);
            load.connectEveryone(clients, Duration.ofSeconds(60));
            // Every node gets the warm-up one server gets: with the users spread over n nodes, each sees 1/n of the
            // messages, so the warm-up runs n times as long (the nodes' JITs also share the one core).
            int nodes = ctx.kind.ports().length;
            Phase.run(load, clients, sizes.fixedRate(), sizes.warmup().multipliedBy(nodes)).drain(Duration.ofSeconds(2));
            // A server that fell behind during the warm-up works off its backlog before the measured phase.
            settle(server);

            Proc.Meter meter = new Proc.Meter(server);
            double fixedFrom = server.uptimeS();
            Phase fixed = Phase.run(load, clients, sizes.fixedRate(), sizes.fixedPhase());
            fixed.drain(Duration.ofSeconds(3));
            double fixedTo = server.uptimeS();
            meter.stop();
            Map<String, Object> at5k = fixed.summary();
            if ((long) at5k.get("sent") == 0 || (long) at5k.get("lost") == (long) at5k.get("sent")) {
                throw new IllegalStateException("nothing arrived at the fixed rate: " + at5k + " " + load.closeCodes);
            }

            List<Map<String, Object>> steps = new ArrayList<>();
            long best = 0;
            Map<String, Object> bestStep = null;
            String stoppedBy = "the highest step passed";
            for (int rate : sizes.rates()) {
                Step step = step(load, clients, server, rate, sizes, steps);
                if (!step.miss.isEmpty()) {
                    stoppedBy = rate + " msg/s" + (Boolean.TRUE.equals(step.s.get("second_try")) ? " (twice) " : " ")
                            + step.miss + limiter(step.m);
                    break;
                }
                best = rate;
                bestStep = step.s;
            }
            if (best == 0) {
                // Not even the first step held: look below it, so that the figure is a rate and not 0. The failed
                // step left a backlog; each lower step waits for the server to work it off first.
                for (int rate : BELOW_FIRST_STEP) {
                    if (rate >= sizes.rates()[0]) {
                        continue;
                    }
                    settle(server);
                    Step step = step(load, clients, server, rate, sizes, steps);
                    step.s.put("below_first_step", true);
                    if (step.miss.isEmpty()) {
                        best = rate;
                        bestStep = step.s;
                        stoppedBy += "; below it " + rate + " msg/s passed";
                        break;
                    }
                }
                if (best == 0) {
                    stoppedBy += "; no step down to " + BELOW_FIRST_STEP[BELOW_FIRST_STEP.length - 1] + " msg/s passed";
                }
            }

            r.put("users", clients.size());
            r.put("throughput_msgs_s", best);
            r.put("p50_ms", at5k.get("p50_ms"));
            r.put("p99_ms", at5k.get("p99_ms"));
            r.put("p999_ms", at5k.get("p999_ms"));
            r.put("lost", at5k.get("lost"));
            r.put("fixed_rate_msgs_s", sizes.fixedRate());
            // Where the measured phase lies in the server's life (seconds since launch, with its drain): to line a
            // profile or a flight recording of the node up with it.
            r.put("fixed_from_s", Math.round(fixedFrom * 10) / 10.0);
            r.put("fixed_to_s", Math.round(fixedTo * 10) / 10.0);
            r.put("p99_ms_by_second", at5k.get("p99_ms_by_second"));
            if (at5k.containsKey("cross_node_share")) {
                r.put("nodes", ctx.kind.ports().length);
                r.put("cross_node_share", at5k.get("cross_node_share"));
            }
            meter.putInto(r);
            if (bestStep != null) {
                r.put("generator_cpu_pct_at_throughput", bestStep.get("generator_cpu_pct"));
                r.put("server_cpu_pct_at_throughput", bestStep.get("server_cpu_pct"));
            }
            r.put("stopped_by", stoppedBy);
            r.put("acks", load.call(() -> load.acks));
            r.put("error_frames", load.call(() -> load.errors));
            r.put("closed_by_server", load.call(() -> load.closes));
            r.put("server_answers", load.call(() -> Map.copyOf(load.closeCodes)).toString());
            if (ctx.kind.jvm && ctx.singleLog() != null) {
                // Whether a step's worst seconds are the collector's (GcLog): read once, after the last step.
                List<GcLog.Cycle> cycles = GcLog.cycles(ctx.singleLog());
                for (Map<String, Object> step : steps) {
                    step.put("gc_s_by_second", GcLog.bySecond(cycles, (double) step.get("from_uptime_s"), step));
                }
                r.put("gc_s_by_second", GcLog.bySecond(cycles, fixedFrom, at5k));
            }
            r.put("steps", steps);
            load.closeAll(clients);
        }
        return r;
    }

    /** Tried from the top down when even the first of the rising steps fails (a server slower than 10k msg/s). */
    static final int[] BELOW_FIRST_STEP = {7_500, 5_000, 4_000, 3_000, 2_000, 1_000};
    /** A server busier than this is still working off the previous step. */
    static final double SETTLED_CPU_PCT = 50;

    /** One step's figures, why it failed ("" when it passed), and the CPU meter of its last attempt. */
    record Step(Map<String, Object> s, String miss, Proc.Meter m) {
    }

    /**
     * Runs one step at {@code rate}, twice when it failed with neither side out of CPU (on a shared machine one
     * stall can fail a step the server holds; a failure at full CPU is the real limit). Adds each attempt to steps.
     */
    static Step step(Load load, List<Client> clients, ServerProcess server, int rate, Sizes sizes,
                     List<Map<String, Object>> steps) throws Exception {
        Proc.Meter m = null;
        Map<String, Object> s = null;
        String miss = "";
        for (int attempt = 0; attempt < 2 && (attempt == 0 || !miss.isEmpty() && !saturated(m)); attempt++) {
            m = new Proc.Meter(server);
            double from = server.uptimeS();
            Phase phase = Phase.run(load, clients, rate, sizes.step());
            phase.drain(Duration.ofSeconds(2));
            m.stop();
            s = phase.summary();
            s.put("from_uptime_s", Math.round(from * 100) / 100.0);
            m.putInto(s);
            miss = miss(s, rate);
            if (attempt > 0) {
                s.put("second_try", true);
            }
            if (!miss.isEmpty()) {
                s.put("failed", miss);
            }
            steps.add(s);
        }
        return new Step(s, miss, m);
    }

    /** Waits (up to 30 s) until the server's CPU over half a second falls under {@link #SETTLED_CPU_PCT}. */
    static void settle(ServerProcess server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Proc.Meter m = new Proc.Meter(server);
            Thread.sleep(500);
            if (m.stop().serverPct < SETTLED_CPU_PCT) {
                return;
            }
        }
    }

    /** @return why a step failed, or "" when it passed */
    static String miss(Map<String, Object> s, int rate) {
        List<String> why = new ArrayList<>();
        if ((double) s.get("p99_ms") > P99_LIMIT_MS) {
            why.add("p99 " + s.get("p99_ms") + " ms > " + P99_LIMIT_MS);
        }
        if ((long) s.get("lost") > 0) {
            why.add("lost " + s.get("lost"));
        }
        if (s.containsKey("not_sent_sender_disconnected")) {
            why.add(s.get("not_sent_sender_disconnected") + " not sent: sockets closed");
        }
        if ((long) s.get("achieved_msgs_s") < rate * 0.95) {
            why.add("sent only " + s.get("achieved_msgs_s") + " msg/s");
        }
        return String.join(", ", why);
    }

    static boolean saturated(Proc.Meter m) {
        return m.generatorPct >= 90 || m.serverPct >= 95;
    }

    /** Which side ran out of CPU, when one did. */
    static String limiter(Proc.Meter m) {
        if (m.generatorPct >= 90) {
            return " (generator saturated: " + m.generatorPct + "% CPU)";
        }
        if (m.serverPct >= 90) {
            return " (server at " + m.serverPct + "% CPU)";
        }
        return " (neither side at full CPU: generator " + m.generatorPct + "%, server " + m.serverPct + "%)";
    }
}
