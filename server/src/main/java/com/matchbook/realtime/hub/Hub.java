package com.matchbook.realtime.hub;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseCodes;

/**
 * The registry of users and their connections on this node, and the only way frames reach a connection. Opening a
 * connection ({@link #open}) and ending it ({@link #end}) are the hub's; every exit goes through {@code end}, which
 * acts once per connection:
 *
 * <pre>
 * exit                      caller                 code            ending
 * peer sent a close         WsEndpoint             the peer's      PEER_LEFT
 * socket error              WsEndpoint             1011            PEER_LEFT
 * wire layer closed         WireConnection         1002 1007       PEER_LEFT (it sent the close itself,
 *                           -> WsEndpoint.onClose  1009 1011                  then reported onClose)
 * socket dropped            WireConnection         1006            PEER_LEFT (nothing sent)
 *                           -> WsEndpoint.onClose
 * SSE stream ended          EventStreamService     1000            PEER_LEFT
 * reader thread ended       Keepalive              1006            PEER_LEFT
 * write failed              Hub (outbox)           1006            PEER_LEFT
 * write blocked too long    Keepalive -> Hub.slow  4008            TERMINATE
 * outbox overflowed         Hub.slow               4008            CLOSE_NOW
 * heartbeat timeout         Keepalive              1001            CLOSE_NOW
 * history unavailable       Replay                 1011            CLOSE_NOW
 * token expired             Keepalive              4001            CLOSE_AFTER_QUEUED
 * message too big           WireConnection         1009            PEER_LEFT (a wire layer close, above)
 * binary message too big    WsEndpoint             1009            CLOSE_AFTER_QUEUED (the wire's own limit is
 *                                                                  the larger of the text and binary ones)
 * binary payload too big    ClientFrameHandler     1009            CLOSE_AFTER_QUEUED
 * frame rate cut-off        WsEndpoint             4029            CLOSE_AFTER_QUEUED
 * drain (shutdown)          Realtime               1001            CLOSE_AFTER_QUEUED
 * our close not answered    Keepalive              none sent       CLOSE_UNANSWERED (after a closing one)
 * operator disconnect       LocalOperator          4030            CLOSE_AFTER_QUEUED
 * </pre>
 *
 * <p>Two collaborators call back into the hub, by design: the hub hands them work, and they act on connections only
 * through the hub's doors, so the registry's invariants stay here. {@link Replay}: the hub calls {@code start} from
 * {@code open} and {@code fill} when {@code deliver} meets a seq gap; Replay calls back {@code background} (its page
 * reads off the caller's thread), {@code slow} (history that does not fit the outbox) and {@code end} (history
 * unavailable). {@link Keepalive}: the hub calls {@code watchClose} when {@code end} sends a close frame; each sweep
 * calls back {@code connections}, {@code reply} (pings), {@code slow} (a write blocked too long) and {@code end}
 * (the table's Keepalive rows). Both are built before the hub, which takes them in its constructor, and get the hub
 * as an argument: Replay per call, Keepalive once when {@code Realtime} starts its timer ({@code keepalive.start(hub)}).
 *
 * <p>Two refusals never reach the hub, as nothing was registered: {@code WsEndpoint.refuse} (the upgrade's policy
 * and the per-user limit, with the refusal's code) and {@code EventStreamService} (per-user limit, 4029).
 *
 * <p>Past 300 lines because it is one thing, gorilla's hub: the registry, and the only door in (open), out (end) and
 * through (deliver, reply, broadcast) for every connection on this node; splitting it would split the registry's
 * invariants across files.
 */
public final class Hub implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    private final ConcurrentHashMap<String, List<Connection>> users = new ConcurrentHashMap<>();
    private final AtomicLong connectionCount = new AtomicLong();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger activeWriters = new AtomicInteger();
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final Stats stats;
    private final HubLimits limits;
    private final HubEvents events;
    private final Replay replay;
    private final Keepalive keepalive;
    private final String nodeTag = Long.toString(System.nanoTime() & 0xFFFFFF, 36);

    /**
     * @param replay    queues each new connection's welcome and history, and fills gaps (called with this hub)
     * @param keepalive told of every close this hub starts, to cut peers that do not finish the handshake
     * @param events    presence changes and delivery latencies, for the rest of the service
     */
    public Hub(HubLimits limits, Stats stats, Replay replay, Keepalive keepalive, HubEvents events) {
        this.limits = limits;
        this.stats = stats;
        this.replay = replay;
        this.keepalive = keepalive;
        this.events = events;
    }

    /**
     * Registers a new connection and starts its replay: the {@code welcome}, then history after {@code since} (empty:
     * after what the user last confirmed), then live traffic. Live messages are held aside until the replay is queued.
     * Called on the sink's own reader thread (a WebSocket), it writes the welcome (and the history, when it fits one
     * page) on that thread before it returns; everything later, and every frame of an SSE stream, a drain task writes.
     *
     * @throws TooManyConnectionsException over the per-user limit; nothing is registered then
     */
    public Connection open(String userId, FrameSink sink, OptionalLong since) {
        return open(userId, sink, since, 0);
    }

    /**
     * {@link #open(String, FrameSink, OptionalLong)} for a caller that showed a token: the connection is closed with
     * 4001 at {@code authorizedUntil} (the token's expiry plus leeway) unless an {@code auth} frame renews it.
     */
    public Connection open(String userId, FrameSink sink, OptionalLong since, Instant authorizedUntil) {
        return open(userId, sink, since, authorizedUntil.toEpochMilli());
    }

    private Connection open(String userId, FrameSink sink, OptionalLong since, long authorizedUntilMillis) {
        String id = nodeTag + "-" + Long.toString(connectionIds.incrementAndGet(), 36);
        // A WebSocket opened on its own reader thread writes its welcome and first page there (Outbox.startWriting).
        boolean writeHere = sink.reader().filter(t -> t == Thread.currentThread()).isPresent();
        Connection c = new Connection(id, userId, sink, authorizedUntilMillis, writers, limits.outboxLimit(),
                                      WriterEvents::new, writeHere);
        keepalive.admit(c, System.nanoTime());
        register(c);
        events.presenceChanged(userId);
        stats.opened.increment();
        LOG.log(Level.DEBUG, () -> "event=open user=" + userId + " conn=" + id);
        // Registered before reading history: whatever is stored from now on reaches the connection live (held until
        // the replay is queued), and whatever was stored before is in what the replay reads.
        try {
            replay.start(this, c, since);
        } finally {
            if (writeHere) {
                c.outbox().startWriting();
            }
        }
        return c;
    }

    /**
     * Ends a connection: unregisters it (once, whichever exit comes first) and closes it the way {@code how} says.
     * The table in this class's comment lists every exit with its code.
     *
     * @param code   close code from {@link CloseCodes} (for {@link Ending#PEER_LEFT}, the peer's, only logged)
     * @param reason close reason; cut to 123 bytes on the wire
     */
    public void end(Connection c, Ending how, int code, String reason) {
        boolean first = c.end();
        if (first) {
            unregister(c);   // first: once the peer sees the close, the registry must agree
            events.presenceChanged(c.userId());
            stats.closed.increment();
            LOG.log(Level.DEBUG, () -> "event=close user=" + c.userId() + " conn=" + c.id() + " code=" + code
                    + " reason=\"" + reason + "\"");
        }
        // Dropping the socket also acts after an earlier end (a peer that leaves, or never answers our close): a peer
        // that is gone takes nothing more, and the queue's memory is freed now. Sending a close acts only once.
        switch (how) {
            case PEER_LEFT -> c.outbox().discard();
            case TERMINATE -> {
                c.terminate();
                c.outbox().discard();
            }
            case CLOSE_UNANSWERED -> c.terminate();
            case CLOSE_AFTER_QUEUED -> {
                if (first) {
                    c.closeSent(limits.closeGrace().toNanos());
                    keepalive.watchClose(c);
                    c.outbox().closeAfterQueued(code, reason);
                }
            }
            case CLOSE_NOW -> {
                if (first) {
                    // A slow peer gets the write timeout to take its close frame; others the usual grace.
                    c.closeSent(code == CloseCodes.TOO_SLOW ? limits.writeTimeout().toNanos()
                                                            : limits.closeGrace().toNanos());
                    keepalive.watchClose(c);
                    c.outbox().close(code, reason);
                }
            }
        }
    }

    /** A stored stream entry: to every live connection of the stream's user on this node. */
    public void deliver(Message message) {
        List<Connection> conns = users.get(message.user());
        if (conns == null) {
            return;
        }
        // Encoded once for all of the user's connections here (a connection holding it aside encodes it again later).
        OutFrame frame = message.frame();
        for (Connection c : conns) {
            switch (c.deliver(message, frame)) {
                case QUEUED -> { }
                case OVERFLOW -> slow(c);
                case GAP -> replay.fill(this, c);
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
            reply(c, frame);
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

    /** The slow-consumer policy, PROTOCOL.md 4008, for an outbox that overflowed: see {@link #slow(Connection, boolean)}. */
    void slow(Connection c) {
        slow(c, false);
    }

    /**
     * The slow-consumer policy, PROTOCOL.md 4008: its messages stay in history for replay. A peer whose outbox
     * overflowed is sent the close frame; one whose write has been blocked past the write timeout cannot take one, so
     * its socket is dropped.
     *
     * @param writeBlocked a write has been blocked past the write timeout (the keepalive's sweep saw it)
     */
    void slow(Connection c, boolean writeBlocked) {
        if (!c.isOpen()) {
            return;
        }
        stats.slowConsumers.increment();
        if (writeBlocked) {
            LOG.log(Level.INFO, () -> "event=write-timeout user=" + c.userId() + " conn=" + c.id());
            end(c, Ending.TERMINATE, CloseCodes.TOO_SLOW, "write timed out");
            return;
        }
        LOG.log(Level.INFO, () -> "event=slow-consumer user=" + c.userId() + " conn=" + c.id()
                + " queued=" + c.outbox().size());
        end(c, Ending.CLOSE_NOW, CloseCodes.TOO_SLOW, "too slow: outbox overflowed");
    }

    /** Runs a task on the writers' executor (virtual threads). */
    void background(Runnable task) {
        writers.execute(task);
    }

    /** Waits until every outbox closed so far has written its close frame, or the time is up. */
    public void awaitFlushed(Duration max) {
        writers.shutdown();
        try {
            writers.awaitTermination(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Users with a connection on this node. */
    public Set<String> userIds() {
        return Set.copyOf(users.keySet());
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

    /** Writer tasks running now (each a virtual thread): zero on an idle node. */
    public int activeWriters() {
        return activeWriters.get();
    }

    /** The user's connections on this node (empty when none). */
    public List<Connection> connectionsOfUser(String userId) {
        return users.getOrDefault(userId, List.of());
    }

    /** The connection with this id on this node, if it is still registered; a scan, for the operator console. */
    public Optional<Connection> find(String connectionId) {
        for (List<Connection> conns : users.values()) {
            for (Connection c : conns) {
                if (c.id().equals(connectionId)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
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

    /**
     * Each connection registered now, without copying the registry (the keepalive walks it every 100 ms); those
     * opened or closed during the walk may or may not be seen.
     */
    void forEachConnection(Consumer<Connection> action) {
        for (List<Connection> conns : users.values()) {
            conns.forEach(action);
        }
    }

    public Collection<Connection> connections() {
        List<Connection> all = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, connectionCount.get()));
        for (List<Connection> conns : users.values()) {
            all.addAll(conns);
        }
        return all;
    }

    @Override
    public void close() {
        writers.shutdown();
    }

    private void written(Connection c, List<OutFrame> frames) {
        long now = System.nanoTime();
        for (OutFrame f : frames) {
            if (f.isMessage()) {
                stats.messagesOut.increment();
                long accepted = f.message().acceptedNanos();
                // Replayed messages waited for their user, not for us: only live ones measure delivery latency.
                if (accepted != 0 && f.message().seq() > c.replayEnd()) {
                    events.delivered(now - accepted);
                }
            }
        }
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

    /** What one connection's outbox writer reports: counters, latency, and a failed write as that connection's end. */
    private final class WriterEvents implements Outbox.Events {
        private final Connection connection;

        WriterEvents(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void writeFailed(Throwable error) {
            end(connection, Ending.PEER_LEFT, CloseCodes.ABNORMAL, "write failed: " + error.getClass().getSimpleName());
        }

        @Override
        public void written(List<OutFrame> frames) {
            Hub.this.written(connection, frames);
        }

        @Override
        public void drainStarted() {
            activeWriters.incrementAndGet();
        }

        @Override
        public void drainEnded() {
            activeWriters.decrementAndGet();
        }
    }
}
