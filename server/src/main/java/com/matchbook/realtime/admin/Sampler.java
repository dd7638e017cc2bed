package com.matchbook.realtime.admin;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.hub.Connection;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.limits.ConnectionGuard;

/**
 * Once a second, turns this node's counters into a {@link Sample} (differences of the cumulative counters, the
 * delivery latencies recorded since the last tick) and adds it to the {@link SeriesRing}: the hub's and the store's
 * from {@link Stats}, the TCP level's from the {@link ConnectionGuard}.
 */
public final class Sampler {
    private final Stats stats;
    private final ConnectionGuard tcp;
    private final Hub hub;
    private final LatencyWindow delivery;
    private final SeriesRing ring;
    private long lastNanos;
    private long[] last;

    public Sampler(Stats stats, ConnectionGuard tcp, Hub hub, LatencyWindow delivery, SeriesRing ring) {
        this.stats = stats;
        this.tcp = tcp;
        this.hub = hub;
        this.delivery = delivery;
        this.ring = ring;
    }

    /** Samples every second on {@code timer} from now on. */
    public void start(ScheduledExecutorService timer) {
        lastNanos = System.nanoTime();
        last = counters();
        long tick = Settings.Timings.SAMPLE_TICK.toMillis();
        timer.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Takes one sample now (the timer calls this; tests may too). */
    public synchronized void tick() {
        long now = System.nanoTime();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long[] c = counters();
        long sse = 0;
        long connections = 0;
        for (Connection conn : hub.connections()) {
            connections++;
            sse += conn.isStream() ? 1 : 0;
        }
        double[] latency = delivery.drain(0.5, 0.99);
        long commits = c[6] - last[6];
        double commitMs = commits == 0 ? Double.NaN : (c[7] - last[7]) / 1e6 / commits;
        ring.add(new Sample(System.currentTimeMillis() / 1000, connections, hub.userCount(), sse,
                            (c[0] - last[0]) / seconds, (c[1] - last[1]) / seconds, latency[0], latency[1], commitMs,
                            (c[2] - last[2]) / seconds, (c[3] - last[3]) / seconds, (c[8] - last[8]) / seconds,
                            (c[4] - last[4]) / seconds, (c[5] - last[5]) / seconds,
                            new Sample.Tcp(tcp.open(), c[9] - last[9], c[10] - last[10], c[11] - last[11],
                                           c[12] - last[12], c[13] - last[13])));
        last = c;
        lastNanos = now;
    }

    private long[] counters() {
        return new long[] {stats.messagesIn(), stats.messagesOut(), stats.slowConsumers(), stats.refusedAdmission(),
                stats.refusedOrigin(), stats.refusedToken(), stats.commits(), stats.commitNanos(),
                stats.rateLimitedCount(), tcp.refusedFull(), tcp.refusedPerAddress(), tcp.headTimeouts(),
                tcp.idleTimeouts(), tcp.bodyTimeouts()};
    }
}
