package com.matchbook.bench;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * All the generator's sockets to one server, on ONE event loop thread: the generator is pinned to one core, and a
 * single thread needs no locks. Sockets are spread over several 127.0.0.x source addresses so that tens of
 * thousands of them fit past the ephemeral port range. State is touched only on the loop; other threads use
 * {@link #call} or {@link #execute}. Against several nodes (the Redis kinds) client {@code i} connects to node
 * {@code i % nodes}: with two, even users on the first and odd users on the second.
 */
final class Load implements AutoCloseable {
    static final int SOURCE_ADDRESSES = 10;
    private static final int CONNECTS_IN_FLIGHT = 256;
    private static final int HANDSHAKE_TIMEOUT_S = 15;
    /** The project's own clients' reconnect policy: full jitter under a ceiling doubling from 500 ms up to 30 s. */
    private static final long BACKOFF_BASE_MS = 500;
    private static final long BACKOFF_CAP_MS = 30_000;

    final Wire wire;
    final long origin = System.nanoTime();
    private final boolean resume;
    private final int[] ports;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap base;
    private final InetSocketAddress[] servers;
    private final InetAddress[] sources = new InetAddress[SOURCE_ADDRESSES];

    Listener listener = Listener.NONE;
    /** When set, the {@link #now()} of every welcome: how a crowd came back after a restart. */
    long[] welcomeTimes;
    /** Beside {@link #welcomeTimes}: how many reconnect attempts each of those clients needed (1 = the first). */
    int[] welcomeAttempts;
    int welcomeCount;
    /**
     * When set, the {@link #now()} of every 101 answer, beside {@link #welcomeTimes}: a server that answers the
     * upgrade at once but sends its first frame late shows a gap between the two.
     */
    long[] upgradeTimes;
    int upgradeCount;
    /**
     * When set, the {@link #now()} at which each welcomed client's close was seen (a storm's kill), in the order
     * seen: how long the generator took to notice the crash.
     */
    long[] closeSeenTimes;
    int closeSeenCount;
    /**
     * When set, how late each reconnect's timer fired against its backoff, in nanoseconds: a busy or cold event loop
     * runs every client's schedule late, which shifts its attempts against the server's restart.
     */
    long[] reconnectLateNanos;
    int reconnectLateCount;
    /** Why attempts failed since the last {@link Failures#reset()}: what a storm's slowest clients went through. */
    final Failures failures = new Failures();
    /** Ids of the messages the generator sends, unique over the whole load so a late one is never miscounted. */
    long nextId = 1;
    boolean reconnect;
    int welcomed;
    long welcomes;
    long acks;
    long errors;
    long closes;
    String firstError = "";
    /** Close codes from servers, and HTTP statuses of refused upgrades, by count. */
    final Map<Integer, Integer> closeCodes = new TreeMap<>();

    Load(Wire wire, int port, boolean resume) {
        this(wire, new int[] {port}, resume);
    }

    /** @param ports one per node; client {@code i} connects to {@code ports[i % ports.length]} */
    Load(Wire wire, int[] ports, boolean resume) {
        this.wire = wire;
        this.ports = ports.clone();
        this.resume = resume;
        String transport = transport();
        boolean epoll = transport.equals("epoll");
        group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        loop = group.next();
        base = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        if (epoll) {
            // Pick the port at connect time, per destination, instead of reserving one per source address at bind.
            base.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
        servers = new InetSocketAddress[ports.length];
        for (int i = 0; i < ports.length; i++) {
            servers[i] = new InetSocketAddress("127.0.0.1", ports[i]);
        }
        try {
            for (int i = 0; i < SOURCE_ADDRESSES; i++) {
                sources[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)});
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many nodes the clients are spread over. */
    int nodes() {
        return ports.length;
    }

    /** The node client {@code index} connects to. */
    int nodeOf(int index) {
        return index % ports.length;
    }

    /** Epoll where there is one; io_uring was tried and cost the generator more per message here. */
    static String transport() {
        return Epoll.isAvailable() ? "epoll" : "nio";
    }

    /** Nanoseconds since this load started: the clock written into every message. */
    long now() {
        return System.nanoTime() - origin;
    }

    <T> T call(Callable<T> task) {
        return Loops.call(loop, task);
    }

    void execute(Runnable task) {
        loop.execute(task);
    }

    EventLoop loop() {
        return loop;
    }

    /** Polls a condition on the loop until it holds. @return whether it held before the timeout */
    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return Loops.await(loop, condition, timeout);
    }

    /**
     * Connects every client and waits for each one's welcome (or failure).
     *
     * @return how many failed or did not finish within the timeout
     */
    int connectAll(List<Client> clients, Duration timeout) throws InterruptedException {
        ConnectBatch batch = call(() -> {
            ConnectBatch b = new ConnectBatch(this, clients, CONNECTS_IN_FLIGHT);
            b.pump();
            return b;
        });
        await(() -> batch.ok + batch.failed == clients.size(), timeout);
        return clients.size() - call(() -> batch.ok);
    }

    /** {@link #connectAll}, for scenarios that measure nothing unless every client is in. */
    void connectEveryone(List<Client> clients, Duration timeout) throws InterruptedException {
        int failed = connectAll(clients, timeout);
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + clients.size() + " connections failed: " + closeCodes);
        }
    }

    void connect(Client c) {
        String path = wire.path(c.user, resume ? c.lastSeq : 0);
        int node = nodeOf(c.index);
        Bootstrap b = base.clone().handler(new RawSocket(this, c, "127.0.0.1:" + ports[node], path));
        if (c.slow) {
            // A stuck client's small window makes the server feel it soon, not after megabytes.
            b.option(ChannelOption.SO_RCVBUF, 4096);
        }
        ChannelFuture f = b.connect(servers[node], new InetSocketAddress(sources[c.index % SOURCE_ADDRESSES], 0));
        Channel ch = f.channel();
        c.channel = ch;
        loop.schedule(() -> {
            if (c.channel == ch && !c.welcomed && ch.isOpen()) {
                failures.handshakeTimeouts++;
                ch.close(); // a handshake or welcome that never came
            }
        }, HANDSHAKE_TIMEOUT_S, TimeUnit.SECONDS);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                failures.connectFailed(done.cause());
                gone(c, ch);
            } else {
                ch.closeFuture().addListener(closed -> {
                    if (!c.welcomed && c.channel == ch) {
                        failures.closedBeforeWelcome++;
                    }
                    gone(c, ch);
                });
            }
        });
    }

    /** @param payload a buffer from {@link RawSocket#payload}, holding the frame's text */
    void send(Client c, ByteBuf payload) {
        c.channel.writeAndFlush(RawSocket.text(payload), c.channel.voidPromise());
    }

    private static void sendText(Channel ch, String text) {
        ByteBuf b = RawSocket.payload(ch.alloc(), text.length());
        Wire.ascii(b, text);
        ch.writeAndFlush(RawSocket.text(b), ch.voidPromise());
    }

    void closeAll(List<Client> clients) {
        call(() -> {
            reconnect = false;
            for (Client c : clients) {
                if (c.channel != null) {
                    c.channel.close();
                }
            }
            return null;
        });
    }

    void onText(Client c, Channel ch, ByteBuf f) {
        switch (wire.kind(f)) {
            case WELCOME -> {
                if (!c.welcomed) {
                    c.welcomed = true;
                    int attempts = c.attempt;
                    c.attempt = 0;
                    c.hintMs = 0;
                    welcomed++;
                    welcomes++;
                    if (welcomeTimes != null && welcomeCount < welcomeTimes.length) {
                        if (welcomeAttempts != null) {
                            welcomeAttempts[welcomeCount] = attempts;
                        }
                        welcomeTimes[welcomeCount++] = now();
                    }
                    if (c.batch != null) {
                        c.batch.done(c, true);
                    }
                }
            }
            case MESSAGE -> {
                int at = Wire.marker(f);
                if (at < 0) {
                    return;
                }
                long id = Wire.number(f, at + 1);
                long sent = Wire.number(f, Wire.skipNumber(f, at + 1) + 1);
                if (resume) {
                    long seq = Wire.seq(f);
                    if (seq > 0) {
                        c.lastSeq = seq;
                    }
                }
                listener.message(c, id, sent, now());
            }
            case ACK -> acks++;
            case ERROR -> {
                if (errors++ == 0) {
                    firstError = f.toString(java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            case OPEN -> sendText(ch, "40");
            case PING -> sendText(ch, "3");
            default -> {
            }
        }
    }

    void onCloseFrame(Client c, int code, String reason) {
        closeCodes.merge(code, 1, Integer::sum);
        int at = reason == null ? -1 : reason.indexOf("retry-after-ms=");
        if (at >= 0) {
            c.hintMs = Long.parseLong(reason.substring(at + 15).replaceAll("\\D.*", ""));
        }
    }

    /** An upgrade answered with 101 (the welcome, if any, comes after). */
    void onUpgraded() {
        if (upgradeTimes != null && upgradeCount < upgradeTimes.length) {
            upgradeTimes[upgradeCount++] = now();
        }
    }

    /** An upgrade answered with something else than 101 (Matchbook's admission limit: 503 + Retry-After). */
    void onRefused(Client c, int status, long retryAfterMs) {
        closeCodes.merge(status, 1, Integer::sum);
        c.hintMs = retryAfterMs;
    }

    private void gone(Client c, Channel ch) {
        if (c.channel != ch) {
            return;
        }
        if (c.welcomed) {
            c.welcomed = false;
            welcomed--;
            closes++;
            if (closeSeenTimes != null && closeSeenCount < closeSeenTimes.length) {
                closeSeenTimes[closeSeenCount++] = now();
            }
        }
        if (c.batch != null) {
            c.batch.done(c, false);
        } else if (reconnect) {
            long delay = c.nextBackoffMs(BACKOFF_BASE_MS, BACKOFF_CAP_MS);
            long due = now() + TimeUnit.MILLISECONDS.toNanos(delay);
            loop.schedule(() -> {
                if (reconnectLateNanos != null && reconnectLateCount < reconnectLateNanos.length) {
                    reconnectLateNanos[reconnectLateCount++] = now() - due;
                }
                if (reconnect && c.channel == ch) {
                    connect(c);
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Counts of failed attempts by cause, on the event loop. A refused connect is the port closed (RST to the SYN); a
     * connect timeout is a SYN never answered within {@code CONNECT_TIMEOUT_MILLIS} (a full SYN or accept queue); a
     * close before the welcome is a connection accepted by TCP but ended before the server's first frame (reset, an
     * HTTP refusal, or the handshake timeout, counted apart too).
     */
    static final class Failures {
        long refused;
        long connectTimeouts;
        long otherConnectFailures;
        long closedBeforeWelcome;
        long handshakeTimeouts;

        void connectFailed(Throwable cause) {
            if (cause instanceof ConnectTimeoutException) {
                connectTimeouts++;
            } else if (cause instanceof ConnectException) {
                refused++;
            } else {
                otherConnectFailures++;
            }
        }

        void reset() {
            refused = 0;
            connectTimeouts = 0;
            otherConnectFailures = 0;
            closedBeforeWelcome = 0;
            handshakeTimeouts = 0;
        }

        Map<String, Long> asMap() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("refused", refused);
            m.put("connect_timeouts", connectTimeouts);
            m.put("other_connect_failures", otherConnectFailures);
            m.put("closed_before_welcome", closedBeforeWelcome);
            m.put("handshake_timeouts", handshakeTimeouts);
            return m;
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
