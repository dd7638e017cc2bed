package com.matchbook.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

import io.netty.buffer.ByteBuf;

/**
 * One open-loop phase of point-to-point traffic: every client in turn sends to a random other user on a fixed
 * schedule, whatever the acks say. Each message carries its send time; its latency is taken when it arrives at the
 * recipient. Runs on the load's event loop, ticking every millisecond and sending what the schedule says is due.
 */
final class Phase implements Listener {
    static final long MAX_US = TimeUnit.SECONDS.toMicros(60);

    private final Load load;
    private final List<Client> clients;
    private final double rate;
    private final long total;
    private final long firstId;
    private final SplittableRandom random = new SplittableRandom(42);
    private final BitSet received = new BitSet();
    /** Messages that do not count: to a client that stopped reading, or never sent (the sender was not connected). */
    private final BitSet excluded = new BitSet();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    final Histogram latencyUs = new Histogram(MAX_US, 3);
    /** How far behind its schedule the generator sent: a lagging generator is measuring itself. */
    final Histogram lagUs = new Histogram(MAX_US, 3);
    /**
     * Latency by the second of the schedule its message was sent in: whether a phase's p99 comes from one burst (a
     * collector's cycle, a timer's sweep) or from the whole phase. Two significant digits are enough to tell.
     */
    private final List<Histogram> bySecond = new ArrayList<>();
    private ScheduledFuture<?> ticker;
    private long t0;
    private long sent;
    private long skipped;
    private long toSlow;
    private long duplicates;
    /**
     * Copies a message's sender got of it in their own stream (Matchbook 1.1, docs/protocol.md "Conversations"): not
     * a delivery to the recipient, so neither a duplicate nor a latency sample.
     */
    private long ownCopies;
    private long stray;
    /** Messages whose recipient is on another node than their sender (several nodes only). */
    private long crossed;
    private int next;
    private double seconds;

    private Phase(Load load, List<Client> clients, double rate, Duration duration, long firstId) {
        this.load = load;
        this.clients = clients;
        this.rate = rate;
        this.total = (long) (rate * duration.toNanos() / 1e9);
        this.firstId = firstId;
    }

    /** Runs a phase to the end of its schedule (not of its deliveries: see {@link #drain}). */
    static Phase run(Load load, List<Client> clients, double rate, Duration duration) throws Exception {
        Phase p = load.call(() -> {
            Phase phase = new Phase(load, clients, rate, duration, load.nextId);
            load.nextId += phase.total;
            load.listener = phase;
            phase.t0 = load.now();
            phase.ticker = load.loop().scheduleAtFixedRate(phase::tick, 0, 1, TimeUnit.MILLISECONDS);
            return phase;
        });
        p.done.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        return p;
    }

    private void tick() {
        long now = load.now();
        long due = Math.min(total, (long) ((now - t0) * rate / 1e9) + 1);
        while (sent < due) {
            long intended = t0 + (long) (sent * 1e9 / rate);
            sendOne(now);
            lagUs.recordValue(Math.min(MAX_US, Math.max(0, now - intended) / 1000));
        }
        if (sent >= total) {
            ticker.cancel(false);
            seconds = (now - t0) / 1e9;
            done.complete(null);
        }
    }

    private void sendOne(long now) {
        Client from = clients.get(next);
        next = (next + 1) % clients.size();
        int k = (int) sent++;
        if (!from.welcomed) {
            skipped++;
            excluded.set(k);
            return;
        }
        int to = random.nextInt(clients.size() - 1);
        if (to >= from.index) {
            to++;
        }
        if (load.nodes() > 1 && load.nodeOf(from.index) != load.nodeOf(clients.get(to).index)) {
            crossed++;
        }
        if (clients.get(to).slow) {
            toSlow++;
            excluded.set(k);
        }
        ByteBuf frame = RawSocket.payload(from.channel.alloc(), 176);
        load.wire.writeSend(frame, firstId + k, to, firstId + k, now);
        load.send(from, frame);
    }

    @Override
    public void message(Client client, long id, long sentNanos, long arrivedNanos) {
        long k = id - firstId;
        if (k < 0 || k >= sent) {
            stray++;
            return;
        }
        // Clients send in turn from the first one, so message k's sender is client k mod n (never its recipient).
        if (client == clients.get((int) (k % clients.size()))) {
            ownCopies++;
            return;
        }
        if (received.get((int) k)) {
            duplicates++;
            return;
        }
        received.set((int) k);
        if (!client.slow) {
            long us = Math.min(MAX_US, Math.max(0, arrivedNanos - sentNanos) / 1000);
            latencyUs.recordValue(us);
            int second = (int) Math.max(0, (sentNanos - t0) / 1_000_000_000L);
            while (bySecond.size() <= second) {
                bySecond.add(new Histogram(MAX_US, 2));
            }
            bySecond.get(second).recordValue(us);
        }
    }

    private long lost() {
        BitSet arrived = (BitSet) received.clone();
        arrived.or(excluded);
        return sent - arrived.cardinality();
    }

    /** Waits for the stragglers. @return how many counted messages never arrived within the timeout */
    long drain(Duration timeout) throws InterruptedException {
        load.await(() -> lost() == 0, timeout);
        return load.call(this::lost);
    }

    /** The phase's figures (call after {@link #drain}). */
    Map<String, Object> summary() {
        return load.call(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("offered_msgs_s", (long) rate);
            m.put("achieved_msgs_s", Math.round((sent - skipped) / seconds));
            m.put("p50_ms", ms(latencyUs.getValueAtPercentile(50)));
            m.put("p99_ms", ms(latencyUs.getValueAtPercentile(99)));
            m.put("p999_ms", ms(latencyUs.getValueAtPercentile(99.9)));
            m.put("max_ms", ms(latencyUs.getMaxValue()));
            m.put("sent", sent - skipped);
            m.put("lost", lost());
            if (skipped > 0) {
                m.put("not_sent_sender_disconnected", skipped);
            }
            if (toSlow > 0) {
                m.put("to_stopped_clients", toSlow);
            }
            if (duplicates > 0) {
                m.put("duplicates", duplicates);
            }
            if (ownCopies > 0) {
                m.put("sender_copies", ownCopies);
            }
            if (load.nodes() > 1 && sent > skipped) {
                m.put("cross_node_share", Math.round(crossed * 1000.0 / (sent - skipped)) / 1000.0);
            }
            m.put("generator_lag_p99_ms", ms(lagUs.getValueAtPercentile(99)));
            m.put("p99_ms_by_second", bySecond.stream().map(h -> ms(h.getValueAtPercentile(99))).toList());
            return m;
        });
    }

    double p99Ms() {
        return load.call(() -> ms(latencyUs.getValueAtPercentile(99)));
    }

    static double ms(long us) {
        return Math.round(us / 10.0) / 100.0;
    }
}
