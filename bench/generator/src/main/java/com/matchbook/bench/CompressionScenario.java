package com.matchbook.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code compression}: what {@code permessage-deflate} (RFC 7692) costs and saves Matchbook, for typical chat
 * messages ({@link ChatLines}). Three variants, each on a fresh server:
 * <ul>
 *   <li>{@code off}: {@code -Dmatchbook.compression=false}, clients offer nothing;</li>
 *   <li>{@code takeover}: compression on, clients offer plain {@code permessage-deflate} and keep their context (the
 *       server still compresses each of its own messages alone: it always answers {@code server_no_context_takeover},
 *       and keeps an inflater per connection for the client's context);</li>
 *   <li>{@code no_takeover}: compression on, clients offer {@code server_no_context_takeover;
 *       client_no_context_takeover}: nothing kept between messages on either side.</li>
 * </ul>
 * Each variant: N connections (every one sends one message, so a kept inflater exists, then sits idle) and the
 * server's RSS after a full GC against before them, per connection; then a warm-up and a measured phase of U of
 * them sending at a fixed rate to random others. Per {@code send}: bytes on the wire up (the client's frame) and down
 * (everything the server sent back during the phase: the {@code ack}, the {@code message} to the recipient and its
 * copy to the sender, see PROTOCOL.md "Conversations"), and the server's CPU time (user + system, /proc).
 */
final class CompressionScenario {
    /** The variants, in run order. */
    record Variant(String name, boolean serverCompression, DeflateClients.Offer offer) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("off", false, DeflateClients.Offer.NONE),
            new Variant("takeover", true, DeflateClients.Offer.CONTEXT_TAKEOVER),
            new Variant("no_takeover", true, DeflateClients.Offer.NO_CONTEXT_TAKEOVER));
    private static final int CONNECT_BATCH = 200;
    private static final int LINES = 1_000;
    /** How long the measured phase's deliveries may trail its last send. */
    private static final Duration DRAIN = Duration.ofSeconds(60);

    private CompressionScenario() {
    }

    /** Only the single-process Matchbook kinds: it measures Matchbook's own compression, peers have none here. */
    static boolean appliesTo(ServerKind kind) {
        return kind == ServerKind.MATCHBOOK || kind == ServerKind.MATCHBOOK_DISK || kind == ServerKind.MATCHBOOK_JOURNAL
                || kind == ServerKind.MATCHBOOK_TIERED;
    }

    static Map<String, Object> run(Context ctx) throws Exception {
        String[] lines = ChatLines.generate(LINES, 42);
        Map<String, Object> r = new LinkedHashMap<>();
        List<Map<String, Object>> variants = new ArrayList<>();
        r.put("connections", ctx.sizes.compressionConnections());
        r.put("users", ctx.sizes.compressionUsers());
        r.put("rate_msgs_s", ctx.sizes.compressionRate());
        r.put("phase_s", ctx.sizes.compressionPhase().toSeconds());
        double meanText = 0;
        for (String l : lines) {
            meanText += l.length();
        }
        r.put("text_chars_mean", Math.round(meanText / lines.length));
        for (Variant v : VARIANTS) {
            Map<String, Object> m = variant(ctx, v, lines);
            variants.add(m);
            // Flat copies of the main figures, so the table and --repeat's medians pick them up.
            for (String k : List.of("wire_bytes_per_send", "up_wire_bytes_per_send", "down_wire_bytes_per_send",
                    "server_cpu_us_per_send", "bytes_per_conn_after_gc")) {
                r.put(k + "_" + v.name(), m.get(k));
            }
        }
        r.put("variants", variants);
        // The busiest variant's CPU figures, where the run's summary looks for a saturated generator or noise.
        for (String k : List.of("generator_cpu_pct", "other_cpu_core0_pct", "other_cpu_core1_pct")) {
            r.put(k, variants.stream().mapToDouble(m -> ((Number) m.get(k)).doubleValue()).max().orElse(0));
        }
        return r;
    }

    private static Map<String, Object> variant(Context ctx, Variant v, String[] lines) throws Exception {
        Sizes sizes = ctx.sizes;
        if (ctx.server != null) {
            ctx.server.kill();
        }
        ServerProcess server = ctx.start("-Dmatchbook.compression=" + v.serverCompression());
        long pid = server.pids()[0];
        Thread.sleep(500);
        server.gc();
        long before = server.rss();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", v.name());
        m.put("server_compression", v.serverCompression());
        m.put("offer", v.offer().name().toLowerCase(Locale.ROOT));
        int n = sizes.compressionConnections();
        try (DeflateClients clients = new DeflateClients(v.offer(), ctx.kind.port)) {
            clients.connect(n, CONNECT_BATCH, Duration.ofSeconds(120));
            m.put("negotiated", clients.call(() -> clients.negotiated));
            // One message from each connection to the next: every connection has then inflated (and, with
            // context takeover, kept an inflater) and been sent a compressed message.
            Random rnd = new Random(7);
            clients.call(() -> {
                for (int i = 0; i < n; i++) {
                    clients.send(i, (i + 1) % n, i, lines[rnd.nextInt(lines.length)]);
                }
                return null;
            });
            long wantAll = 2L * n;
            if (!clients.await(() -> clients.messages >= wantAll, Duration.ofSeconds(60))) {
                throw new IllegalStateException(v.name() + ": " + clients.call(() -> clients.messages) + " of "
                        + wantAll + " messages arrived; first error: " + clients.firstError);
            }
            Thread.sleep(IdleScenario.STEP_SETTLE.toMillis());
            server.gc();
            long after = server.rss();
            m.put("bytes_per_conn_after_gc", (after - before) / n);
            m.put("rss_before_mb", IdleScenario.mb(before));
            m.put("rss_after_mb", IdleScenario.mb(after));

            int users = Math.min(sizes.compressionUsers(), n);
            drive(clients, users, sizes.compressionRate(), sizes.warmup(), lines, rnd);
            // The warm-up's last deliveries must not count in the measured phase's bytes or CPU.
            long warmed = 2 * clients.call(() -> clients.sends);
            if (!clients.await(() -> clients.messages >= warmed, DRAIN)) {
                throw new IllegalStateException(v.name() + ": the warm-up's messages did not all arrive; close codes "
                        + clients.call(() -> clients.closeCodes));
            }
            long[] start = clients.call(() -> new long[] {clients.sends, clients.messages, clients.wireOut,
                clients.wireIn, clients.textOut, clients.textIn});
            long cpu0 = Proc.cpuTicks(pid, true);
            Proc.Meter meter = new Proc.Meter(server);
            drive(clients, users, sizes.compressionRate(), sizes.compressionPhase(), lines, rnd);
            long sent = clients.call(() -> clients.sends) - start[0];
            long want = start[1] + 2 * sent;
            // CPU time, not wall time, is the figure: a server that fell behind on a busy machine may finish late.
            long drainStart = System.nanoTime();
            boolean all = clients.await(() -> clients.messages >= want, DRAIN);
            m.put("drain_s", round1((System.nanoTime() - drainStart) / 1e9));
            meter.stop();
            long cpu1 = Proc.cpuTicks(pid, true);
            long[] end = clients.call(() -> new long[] {clients.sends, clients.messages, clients.wireOut,
                clients.wireIn, clients.textOut, clients.textIn});
            if (!all) {
                throw new IllegalStateException(v.name() + ": " + (end[1] - start[1]) + " of " + 2 * sent
                        + " messages arrived in the measured phase; close codes " + clients.call(() -> clients.closeCodes)
                        + ", first error: " + clients.firstError);
            }
            long up = end[2] - start[2];
            long down = end[3] - start[3];
            m.put("sends", sent);
            m.put("up_wire_bytes_per_send", round1((double) up / sent));
            m.put("down_wire_bytes_per_send", round1((double) down / sent));
            m.put("wire_bytes_per_send", round1((double) (up + down) / sent));
            m.put("up_text_bytes_per_send", round1((double) (end[4] - start[4]) / sent));
            m.put("down_text_bytes_per_send", round1((double) (end[5] - start[5]) / sent));
            m.put("server_cpu_us_per_send", round1((cpu1 - cpu0) / Proc.TICKS_PER_SECOND * 1e6 / sent));
            meter.putInto(m);
            int unexpected = clients.call(() -> (int) clients.unexpectedCloses);
            if (unexpected > 0 || clients.call(() -> clients.errors) > 0) {
                throw new IllegalStateException(v.name() + ": " + unexpected + " sockets closed (close codes "
                        + clients.call(() -> clients.closeCodes + ", first: " + clients.firstCloseReason) + "), "
                        + clients.call(() -> clients.errors) + " errors, first: " + clients.firstError);
            }
        }
        return m;
    }

    /** Sends at {@code rate} for {@code d}, from users 0..users-1 in turn to a random other one; open loop. */
    private static void drive(DeflateClients clients, int users, int rate, Duration d, String[] lines, Random rnd)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        long total = rate * d.toMillis() / 1000;
        long[] sent = {0};
        ScheduledFuture<?> tick = clients.loop().scheduleAtFixedRate(() -> {
            long due = Math.min(total, rate * (System.nanoTime() - startNanos) / 1_000_000_000L);
            for (; sent[0] < due; sent[0]++) {
                int from = (int) (sent[0] % users);
                int to = (from + 1 + rnd.nextInt(users - 1)) % users;
                clients.send(from, to, sent[0], lines[rnd.nextInt(lines.length)]);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        Thread.sleep(d.toMillis());
        clients.await(() -> sent[0] >= total, Duration.ofSeconds(2));
        tick.cancel(false);
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }
}
