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
            int failed = load.connectAll(clients, Duration.ofSeconds(60));
            if (failed > 0) {
                throw new IllegalStateException(failed + " of " + clients.size() + " connections failed: "
                        + load.closeCodes);
            }
            Phase.run(load, clients, sizes.fixedRate(), sizes.warmup()).drain(Duration.ofSeconds(2));

            Proc.Meter meter = new Proc.Meter(server);
            Phase fixed = Phase.run(load, clients, sizes.fixedRate(), sizes.fixedPhase());
            fixed.drain(Duration.ofSeconds(3));
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
                Proc.Meter m = null;
                Map<String, Object> s = null;
                String miss = "";
                // A step that failed with neither side out of CPU is run once more: on a shared machine one stall
                // can fail a step the server holds. A failure at full CPU is the real limit.
                for (int attempt = 0; attempt < 2 && (attempt == 0 || !miss.isEmpty() && !saturated(m)); attempt++) {
                    m = new Proc.Meter(server);
                    Phase step = Phase.run(load, clients, rate, sizes.step());
                    step.drain(Duration.ofSeconds(2));
                    m.stop();
                    s = step.summary();
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
                if (!miss.isEmpty()) {
                    stoppedBy = rate + " msg/s" + (Boolean.TRUE.equals(s.get("second_try")) ? " (twice) " : " ")
                            + miss + limiter(m);
                    break;
                }
                best = rate;
                bestStep = s;
            }

            r.put("users", clients.size());
            r.put("throughput_msgs_s", best);
            r.put("p50_ms", at5k.get("p50_ms"));
            r.put("p99_ms", at5k.get("p99_ms"));
            r.put("p999_ms", at5k.get("p999_ms"));
            r.put("lost", at5k.get("lost"));
            r.put("fixed_rate_msgs_s", sizes.fixedRate());
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
            r.put("steps", steps);
            load.closeAll(clients);
        }
        return r;
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
