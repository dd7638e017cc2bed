package com.matchbook.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;

/**
 * {@code broadcast}, the websocket-shootout method: clients are added in steps; at each step a fixed number of
 * broadcasts is sent with 4 in flight, each timed from the request until the LAST client has it. The run stops when
 * the 95th percentile of those times passes 500 ms; the step before is the result.
 */
final class BroadcastScenario {
    static final int IN_FLIGHT = 4;
    static final double P95_LIMIT_MS = 500;
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(20);

    private BroadcastScenario() {
    }

    static Map<String, Object> run(Context ctx) throws Exception {
        Sizes sizes = ctx.sizes;
        ServerProcess server = ctx.start();
        Http http = new Http(ctx.kind.port);
        Map<String, Object> r = new LinkedHashMap<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        List<StepWindow> windows = new ArrayList<>();
        int best = 0;
        String stoppedBy = "reached the cap of " + sizes.broadcastMax() + " clients";
        try (Load load = new Load(ctx.kind.wire, ctx.kind.ports(), false)) {
            List<Client> clients = new ArrayList<>();
            for (int n = sizes.broadcastStep(); n <= sizes.broadcastMax(); n += sizes.broadcastStep()) {
                List<Client> more = Context.clients(clients.size(), n, i -> false);
                int failed = load.connectAll(more, Duration.ofSeconds(60));
                clients.addAll(more);
                int open = load.call(() -> load.welcomed);
                if (failed > 0 || open < n) {
                    stoppedBy = "at " + n + " clients only " + open + " were connected " + load.closeCodes;
                    break;
                }
                Proc.Meter meter = new Proc.Meter(server);
                int target = n;
                double fromS = server.uptimeS();
                Round round = load.call(() -> new Round(load, http, ctx.kind, clients.get(0), target,
                        sizes.broadcastSamples()));
                boolean finished = round.done.completeOnTimeout(false, ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get();
                double toS = server.uptimeS();
                meter.stop();
                Map<String, Object> s = load.call(round::summary);
                meter.putInto(s);
                steps.add(s);
                long uptimeOffset = load.origin - server.startedNanos;
                windows.add(new StepWindow(s, fromS, toS, load.call(() -> round.slowestSpans(2, uptimeOffset))));
                if (!finished && steps.size() == 1 && (int) s.get("broadcasts") == 0) {
                    throw new IllegalStateException("no broadcast reached all " + n + " clients: " + s);
                }
                if (!finished) {
                    stoppedBy = "at " + n + " clients the broadcasts did not all arrive within " + ROUND_TIMEOUT
                            + " " + s + P2pScenario.limiter(meter);
                    break;
                }
                if ((double) s.get("p95_ms") > P95_LIMIT_MS) {
                    stoppedBy = "at " + n + " clients p95 " + s.get("p95_ms") + " ms > " + P95_LIMIT_MS
                            + P2pScenario.limiter(meter);
                    break;
                }
                best = n;
            }
            putCollections(ctx, windows);
            load.closeAll(clients);
        }
        r.put("max_clients_p95_500ms", best);
        r.put("capped", best == sizes.broadcastMax());
        r.put("broadcast_via", ctx.kind.broadcastMethod());
        r.put("stopped_by", stoppedBy);
        if (!steps.isEmpty()) {
            Map<String, Object> last = steps.get(steps.size() - 1);
            for (String k : List.of("generator_cpu_pct", "server_cpu_pct", "other_cpu_core0_pct", "other_cpu_core1_pct")) {
                r.put(k, last.get(k));
            }
        }
        r.put("steps", steps);
        return r;
    }

    /** A step's figures, its span and its slowest broadcasts' spans, in seconds of the server's uptime. */
    private record StepWindow(Map<String, Object> step, double fromS, double toS, List<double[]> slowest) {
    }

    /**
     * Whether the collector ran during each step, and during its slowest broadcasts (JVM servers, from their GC log):
     * {@code gc_s} and {@code major_gc_s} are the step's collection seconds, all cycles and the old generation's only
     * (ZGC's "Major Collection", G1's concurrent marking and full pauses, Serial's full pauses); {@code slowest_gc_s}
     * are the collection seconds inside each of the two slowest broadcasts. A step fails on its second-slowest
     * broadcast (p95 of 20), so these say whether a cycle on the server's one core lined up with the ones that failed
     * it. Read once after the last step, when every cycle that ran in a step has logged its end.
     */
    private static void putCollections(Context ctx, List<StepWindow> windows) throws java.io.IOException {
        if (!ctx.kind.jvm || ctx.singleLog() == null) {
            return;
        }
        List<GcLog.Cycle> cycles = GcLog.cycles(ctx.singleLog());
        List<GcLog.Cycle> majors = cycles.stream().filter(BroadcastScenario::oldGeneration).toList();
        for (StepWindow w : windows) {
            w.step().put("gc_s", GcLog.secondsWithin(cycles, w.fromS(), w.toS()));
            w.step().put("major_gc_s", GcLog.secondsWithin(majors, w.fromS(), w.toS()));
            w.step().put("slowest_gc_s", w.slowest().stream()
                    .map(span -> GcLog.secondsWithin(cycles, span[0], span[1])).toList());
        }
    }

    /**
     * Whether a logged collection worked on the old generation: ZGC's "Major Collection", G1's "Concurrent Mark
     * Cycle", a full pause of any collector ("Pause Full"). Young collections and pauses are not.
     */
    static boolean oldGeneration(GcLog.Cycle c) {
        String label = c.label();
        return label.contains("Major") || label.contains("Concurrent Mark") || label.contains("Full");
    }

    /**
     * Indexes of the {@code n} slowest completed broadcasts, slowest first.
     *
     * @param tookMs each broadcast's time to reach every client, in ms; NaN for one not completed
     * @param n      how many to give at most, 0 or more
     * @return up to {@code n} indexes into {@code tookMs}, fewer when fewer broadcasts completed
     */
    static int[] slowest(double[] tookMs, int n) {
        return java.util.stream.IntStream.range(0, tookMs.length)
                .filter(i -> !Double.isNaN(tookMs[i]))
                .boxed()
                .sorted((a, b) -> Double.compare(tookMs[b], tookMs[a]))
                .limit(n)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** One step's broadcasts: counts arrivals per broadcast and starts the next when one has reached everyone. */
    static final class Round implements Listener {
        private final Load load;
        private final Http http;
        private final ServerKind kind;
        private final Client sender;
        private final int target;
        private final long firstId;
        private final int[] arrivals;
        private final long[] startedAt;
        private final long[] endedAt;
        private final double[] tookMs;
        private int launched;
        private int completed;
        private int refused;
        final CompletableFuture<Boolean> done = new CompletableFuture<>();

        Round(Load load, Http http, ServerKind kind, Client sender, int target, int samples) {
            this.load = load;
            this.http = http;
            this.kind = kind;
            this.sender = sender;
            this.target = target;
            this.firstId = load.nextId;
            load.nextId += samples;
            this.arrivals = new int[samples];
            this.startedAt = new long[samples];
            this.endedAt = new long[samples];
            this.tookMs = new double[samples];
            Arrays.fill(tookMs, Double.NaN);
            load.listener = this;
            for (int i = 0; i < IN_FLIGHT && i < samples; i++) {
                launch();
            }
        }

        private void launch() {
            int k = launched++;
            long id = firstId + k;
            long now = load.now();
            startedAt[k] = now;
            if (kind.httpBroadcast) {
                http.postAsync("/api/broadcast", Wire.httpBody(null, id, now)).whenComplete((status, e) -> {
                    if (e != null || status / 100 != 2) {
                        load.execute(() -> refused++);
                    }
                });
            } else {
                ByteBuf frame = RawSocket.payload(sender.channel.alloc(), 144);
                load.wire.writeBroadcast(frame, id, now);
                load.send(sender, frame);
            }
        }

        @Override
        public void message(Client client, long id, long sentNanos, long arrivedNanos) {
            long k = id - firstId;
            if (k < 0 || k >= launched) {
                return;
            }
            int i = (int) k;
            if (++arrivals[i] == target) {
                tookMs[i] = (arrivedNanos - startedAt[i]) / 1e6;
                endedAt[i] = arrivedNanos;
                if (++completed == tookMs.length) {
                    done.complete(true);
                } else if (launched < tookMs.length) {
                    launch();
                }
            }
        }

        /**
         * @param uptimeOffsetNanos the server's uptime minus the load's clock, in ns
         * @return the {@code n} slowest completed broadcasts' [start, end], in seconds of the server's uptime
         */
        List<double[]> slowestSpans(int n, long uptimeOffsetNanos) {
            List<double[]> spans = new ArrayList<>();
            for (int i : slowest(tookMs, n)) {
                spans.add(new double[] {(startedAt[i] + uptimeOffsetNanos) / 1e9, (endedAt[i] + uptimeOffsetNanos) / 1e9});
            }
            return spans;
        }

        Map<String, Object> summary() {
            double[] sorted = Arrays.stream(tookMs).filter(t -> !Double.isNaN(t)).toArray();
            Arrays.sort(sorted);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clients", target);
            m.put("broadcasts", completed);
            m.put("p50_ms", round(percentile(sorted, 50)));
            m.put("p95_ms", round(percentile(sorted, 95)));
            m.put("max_ms", round(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]));
            if (refused > 0) {
                m.put("refused", refused);
            }
            return m;
        }

        /** Nearest-rank percentile: with 20 samples, p95 is the 19th of 20 in rising order, the second slowest. */
        private static double percentile(double[] sorted, double p) {
            if (sorted.length == 0) {
                return Double.POSITIVE_INFINITY;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, rank - 1)];
        }

        private static double round(double ms) {
            return Double.isFinite(ms) ? Math.round(ms * 100) / 100.0 : ms;
        }
    }
}
