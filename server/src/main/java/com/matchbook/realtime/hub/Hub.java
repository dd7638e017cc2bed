package com.matchbook.realtime.hub;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.OutFrame;

/**
 * The registry of users and their connections on this node, and the only way frames reach a connection.
 */
public final class Hub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    /** A peer that has not answered our close frame within this is cut off. */
    private static final long CLOSE_GRACE_NANOS = java.time.Duration.ofSeconds(5).toNanos();

    private final ConcurrentHashMap<String, List<Connection>> users = new ConcurrentHashMap<>();
    private final AtomicLong connectionCount = new AtomicLong();
    private final AtomicLong connectionIds = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger activeWriters = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final Stats stats;
    private final HubLimits limits;
    private final LongConsumer deliveryLatencyNanos;
    private final String nodeTag = Long.toString(System.nanoTime() & 0xFFFFFF, 36);
    private volatile Consumer<Connection> serverClosed = c -> { };
    private volatile Consumer<String> presenceChanged = u -> { };
    private volatile Consumer<Connection> gapFiller = c -> { };

    public Hub(Stats stats, HubLimits limits, LongConsumer deliveryLatencyNanos) {
        this.stats = stats;
        this.limits = limits;
        this.deliveryLatencyNanos = deliveryLatencyNanos;
    }

    /**
     * Registers a new connection. It holds live messages aside until {@link Replay} has queued its history.
     *
     * @throws TooManyConnectionsException over the per-user limit; nothing is registered then
     */
    Connection register(String userId, FrameSink sink) {
        String id = nodeTag + "-" + Long.toString(connectionIds.incrementAndGet(), 36);
        Connection[] holder = new Connection[1];
        Connection c = new Connection(id, userId, sink, writers, limits.outboxLimit(), new Outbox.Events() {
            @Override
            public void writeFailed(Throwable error) {
                gone(holder[0], 1006, "write failed: " + error.getClass().getSimpleName());
            }

            @Override
            public void written(List<OutFrame> frames) {
                countWritten(holder[0], frames);
            }

            @Override
            public void drainStarted() {
                activeWriters.incrementAndGet();
            }

            @Override
            public void drainEnded() {
                activeWriters.decrementAndGet();
            }
        });
        holder[0] = c;
        c.firstPingAt(System.nanoTime() + limits.heartbeatIntervalNanos());
        register(c);
        presenceChanged.accept(userId);
        stats.opened.increment();
        LOG.log(Level.DEBUG, () -> "event=open user=" + userId + " conn=" + id);
        return c;
    }

    /** Runs a task on the writers' executor (virtual threads). */
    void background(Runnable task) {
        writers.execute(task);
    }

    /** A stored message: to every live connection of its recipient on this node. */
    public void deliver(Message message) {
        List<Connection> conns = users.get(message.to());
        if (conns == null) {
            return;
        }
        for (Connection c : conns) {
            switch (c.deliver(message)) {
                case QUEUED -> { }
                case OVERFLOW -> slow(c);
                case GAP -> gapFiller.accept(c);
            }
        }
    }

    /** A frame that is not a stored message (receipt, typing) to every connection of a user on this node. */
    public void sendToUser(String userId, OutFrame frame) {
        List<Connection> conns = users.get(userId);
        if (conns == null) {
            return;
        }
        for (Connection c : conns) {
            if (!c.send(frame)) {
                slow(c);
            }
        }
    }

    /** A reply to one connection (ack, error, pong). */
    public void reply(Connection c, OutFrame frame) {
        if (!c.send(frame)) {
            slow(c);
        }
    }

    /**
     * A live-only frame to every connection on this node that takes its channel.
     *
     * @return how many connections it was queued for
     */
    public int broadcast(OutFrame frame, String channel) {
        int n = 0;
        for (Connection c : connections()) {
            if (!c.wants(channel)) {
                continue;
            }
            if (c.send(frame)) {
                n++;
            } else {
                slow(c);
            }
        }
        return n;
    }

    /** The peer said goodbye, or its socket died: unregister (once) and free the outbox. */
    public void gone(Connection c, int code, String reason) {
        c.outbox().discard();
        unregisterOnce(c, code, reason);
    }

    /** Closes a connection from the server side: what is already queued goes out first, then the close frame. */
    public void close(Connection c, int code, String reason) {
        unregisterOnce(c, code, reason);   // first: once the peer sees the close, the registry must agree
        c.closeSent(CLOSE_GRACE_NANOS);
        serverClosed.accept(c);
        c.outbox().closeAfterQueued(code, reason);
    }

    /**
     * Closes at once, dropping what is queued: for peers that cannot take it (too slow, silent). The close frame
     * waits behind the write in progress; a peer that does not take it within the write timeout is dropped.
     */
    public void cut(Connection c, int code, String reason) {
        unregisterOnce(c, code, reason);
        c.closeSent(code == Refusal.TOO_SLOW ? limits.writeTimeout().toNanos() : CLOSE_GRACE_NANOS);
        serverClosed.accept(c);
        c.outbox().close(code, reason);
    }

    /** Waits until every outbox closed so far has written its close frame, or the time is up. */
    public void awaitFlushed(java.time.Duration max) {
        writers.shutdown();
        try {
            writers.awaitTermination(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Told, synchronously, whenever a user's connection count on this node changes; on register, before the
     * connection's history is read (the Redis broker routes the user here from then on).
     */
    public void onPresenceChange(Consumer<String> listener) {
        this.presenceChanged = listener;
    }

    /** Who reads the missing seqs from history when a connection sees a gap ({@link Replay}). */
    void onGap(Consumer<Connection> filler) {
        this.gapFiller = filler;
    }

    /** Users with a connection on this node. */
    public java.util.Set<String> userIds() {
        return java.util.Set.copyOf(users.keySet());
    }

    /** The oldest seq any of the user's connections here has reached: where a top-up from history starts. */
    public long lowestLastSeq(String userId) {
        List<Connection> conns = users.get(userId);
        if (conns == null) {
            return Long.MAX_VALUE;
        }
        return conns.stream().mapToLong(Connection::lastSeq).min().orElse(Long.MAX_VALUE);
    }

    /** Connections here that take a channel (what a broadcast on it reaches on this node). */
    public int connectionCountFor(String channel) {
        int n = 0;
        for (List<Connection> conns : users.values()) {
            for (Connection c : conns) {
                n += c.wants(channel) ? 1 : 0;
            }
        }
        return n;
    }

    /** Tells the keepalive about connections the server closed, so a peer that never answers is cut off. */
    void onServerClose(Consumer<Connection> listener) {
        this.serverClosed = listener;
    }

    /** The outbox overflowed: the contract's slow-consumer close. Its messages stay in history for replay. */
    public void slow(Connection c) {
        if (c.isGone()) {
            return;
        }
        stats.slowConsumers.increment();
        LOG.log(Level.INFO, () -> "event=slow-consumer user=" + c.userId() + " conn=" + c.id()
                + " queued=" + c.outbox().size());
        cut(c, Refusal.TOO_SLOW, "too slow: outbox overflowed");
    }

    /** Writer tasks running now (each a virtual thread): zero on an idle node. */
    public int activeWriters() {
        return activeWriters.get();
    }

    public int connectionsOf(String userId) {
        List<Connection> conns = users.get(userId);
        return conns == null ? 0 : conns.size();
    }

    public long connectionCount() {
        return connectionCount.get();
    }

    public int userCount() {
        return users.size();
    }

    public Collection<Connection> connections() {
        List<Connection> all = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, connectionCount.get()));
        for (List<Connection> conns : users.values()) {
            all.addAll(conns);
        }
        return all;
    }

    Map<String, List<Connection>> registry() {
        return users;
    }

    HubLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        writers.shutdown();
    }

    private void unregisterOnce(Connection c, int code, String reason) {
        if (!c.markGone()) {
            return;
        }
        unregister(c);
        presenceChanged.accept(c.userId());
        stats.closed.increment();
        LOG.log(Level.DEBUG, () -> "event=close user=" + c.userId() + " conn=" + c.id() + " code=" + code
                + " reason=\"" + reason + "\"");
    }

    private void register(Connection c) {
        users.compute(c.userId(), (u, conns) -> {
            int n = conns == null ? 0 : conns.size();
            if (n >= limits.connectionsPerUser()) {
                throw new TooManyConnectionsException(u, limits.connectionsPerUser());
            }
            // Copy on write: delivery iterates without locks; connections come and go far less often.
            List<Connection> next = new ArrayList<>(n + 1);
            if (conns != null) {
                next.addAll(conns);
            }
            next.add(c);
            return List.copyOf(next);
        });
        connectionCount.incrementAndGet();
    }

    private void unregister(Connection c) {
        boolean[] removed = new boolean[1];
        users.computeIfPresent(c.userId(), (u, conns) -> {
            List<Connection> next = new ArrayList<>(conns);
            removed[0] = next.remove(c);
            return next.isEmpty() ? null : List.copyOf(next);
        });
        if (removed[0]) {
            connectionCount.decrementAndGet();
        }
    }

    private void countWritten(Connection c, List<OutFrame> frames) {
        long now = System.nanoTime();
        for (OutFrame f : frames) {
            if (f.isMessage()) {
                stats.messagesOut.increment();
                long accepted = f.message().acceptedNanos();
                // Replayed messages waited for their user, not for us: only live ones measure delivery latency.
                if (accepted != 0 && f.message().seq() > c.replayEnd()) {
                    deliveryLatencyNanos.accept(now - accepted);
                }
            }
        }
    }
}
