package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny TCP load balancer, as a real one treats WebSockets: for each accepted connection it opens a connection to
 * the first backend that accepts one ("first alive", starting at the preferred backend and going on in list order),
 * then pumps bytes both ways on two virtual threads and closes both sides as soon as either side ends. Nothing is
 * parsed; the first line a client sends (its request line, e.g. {@code GET /ws?id=alice HTTP/1.1}) is only remembered,
 * so that a test can ask which backend a page's socket went to. Browsers open pages on the balancer's port, so
 * {@code location} (and with it every socket and HTTP call of the page) is the balancer.
 *
 * <p>Each connection is logged to {@code target/e2e/<name>-balancer-<port>.log} (token values masked; an empty one is shown as empty).
 */
public final class TcpBalancer implements Endpoint, LogSource, AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final int FIRST_LINE_MAX = 300;

    private final ServerSocket listener;
    private final List<ServerProcess> backends;
    private final Path logFile;
    private final AtomicInteger ids = new AtomicInteger();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private static final long HOLD_AT_MOST_MS = 30_000;

    private volatile int preferred;
    /** Open (count 0) unless {@link #hold()} closed it; new connections wait on it before they are routed. */
    private volatile CountDownLatch released = new CountDownLatch(0);
    private volatile boolean closed;

    private TcpBalancer(ServerSocket listener, List<ServerProcess> backends, Path logFile) {
        this.listener = listener;
        this.backends = List.copyOf(backends);
        this.logFile = logFile;
        this.acceptor = Thread.ofVirtual().name("balancer-" + listener.getLocalPort() + "-accept").unstarted(this::acceptAll);
    }

    /** Listens on a free port of 127.0.0.1 in front of {@code backends}; the first of them is preferred. */
    public static TcpBalancer start(String name, List<ServerProcess> backends) {
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("a balancer needs at least one backend");
        }
        try {
            ServerSocket listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
            Path logFile = E2eConfig.workDir().resolve(name + "-balancer-" + listener.getLocalPort() + ".log");
            TcpBalancer balancer = new TcpBalancer(listener, backends, logFile);
            balancer.log("listening on " + balancer.baseUrl() + " in front of "
                                 + backends.stream().map(b -> b.name() + " " + b.baseUrl()).toList());
            balancer.acceptor.start();
            return balancer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the balancer", e);
        }
    }

    /**
     * New connections go to {@code backend} first from now on; when it does not accept, to the ones after it in the
     * list (wrapping around). Connections already open stay where they are.
     */
    public void prefer(ServerProcess backend) {
        int index = backends.indexOf(backend);
        if (index < 0) {
            throw new IllegalArgumentException(backend + " is not behind this balancer");
        }
        preferred = index;
        log("new connections go to " + backend.name() + " first");
    }

    /**
     * New connections are accepted but wait, unrouted, until {@link #release()} (at most 30 s): a balancer that has
     * not yet noticed a dead backend, or queues connections while it has none to give them. Open ones carry on.
     */
    public void hold() {
        if (released.getCount() == 0) {
            released = new CountDownLatch(1);
        }
        log("holding new connections");
    }

    /** Routes the connections held since {@link #hold()}, and every new one again. */
    public void release() {
        log("releasing held connections");
        released.countDown();
    }

    /**
     * The backend of the one open connection whose first line starts with {@code requestStart} (e.g.
     * {@code "GET /ws?id=alice-k3x9&"}); fails when there is none or more than one.
     */
    public ServerProcess backendOf(String requestStart) {
        List<Link> matching = links.stream().filter(link -> link.firstLine.startsWith(requestStart)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one open connection through the balancer starting with \"" + requestStart
                                             + "\", found " + matching.size() + ": " + describeOpen());
        }
        return matching.getFirst().backend;
    }

    /** The open connections, one line each: id, backend, first line. */
    public String describeOpen() {
        List<String> lines = new ArrayList<>();
        for (Link link : links) {
            lines.add("#" + link.id + " -> " + link.backend.name() + ": " + masked(link.firstLine));
        }
        return lines.isEmpty() ? "(none)" : String.join("; ", lines);
    }

    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        closed = true;
        released.countDown();
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Link link : links) {
            link.close("balancer closed");
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "balancer at " + baseUrl() + " (log " + logFile + ")";
    }

    private void acceptAll() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    log("accept failed, balancer stops: " + e);
                }
                return;
            }
            int id = ids.incrementAndGet();
            Thread.ofVirtual().name("balancer-" + port() + "-conn-" + id).start(() -> route(id, client));
        }
    }

    /** Connects to the first backend that accepts, then pumps: client to backend here, backend to client beside. */
    private void route(int id, Socket client) {
        CountDownLatch gate = released;
        if (gate.getCount() > 0) {
            log("#" + id + " held");
            try {
                if (!gate.await(HOLD_AT_MOST_MS, TimeUnit.MILLISECONDS)) {
                    log("#" + id + " held for " + HOLD_AT_MOST_MS + " ms: routed anyway");
                }
            } catch (InterruptedException e) {
                closeQuietly(client);
                return;
            }
        }
        int first = preferred;
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            ServerProcess backend = backends.get((first + i) % backends.size());
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.port()), CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                closeQuietly(server);
                refused.add(backend.name() + ": " + e.getMessage());
                continue;
            }
            Link link = new Link(id, client, server, backend);
            links.add(link);
            if (closed) {
                link.close("balancer closed");
                return;
            }
            Thread.ofVirtual().name("balancer-" + port() + "-conn-" + id + "-back").start(link::pumpBack);
            link.pumpForth();
            return;
        }
        log("#" + id + " no backend accepted " + refused + ": client closed");
        closeQuietly(client);
    }

    private final class Link {
        private final int id;
        private final Socket client;
        private final Socket server;
        private final ServerProcess backend;
        private final long openedNanos = System.nanoTime();
        private final AtomicBoolean closing = new AtomicBoolean();
        private final AtomicLong bytesForth = new AtomicLong();
        private final AtomicLong bytesBack = new AtomicLong();
        private volatile String firstLine = "";

        Link(int id, Socket client, Socket server, ServerProcess backend) {
            this.id = id;
            this.client = client;
            this.server = server;
            this.backend = backend;
        }

        /** Client to backend; remembers the client's first line before forwarding it. */
        void pumpForth() {
            pump(client, server, bytesForth, true);
        }

        void pumpBack() {
            pump(server, client, bytesBack, false);
        }

        private void pump(Socket from, Socket to, AtomicLong counted, boolean forth) {
            String end = (forth ? "client" : backend.name()) + " ended";
            try {
                from.setTcpNoDelay(true);
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                byte[] buffer = new byte[16 * 1024];
                boolean first = forth;
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (first) {
                        first = false;
                        firstLine = firstLineOf(buffer, n);
                        log("#" + id + " -> " + backend.name() + ": " + masked(firstLine));
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    counted.addAndGet(n);
                }
            } catch (IOException e) {
                end = (forth ? "client side: " : backend.name() + " side: ") + e.getMessage();
            }
            close(end);
        }

        void close(String why) {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
            log("#" + id + " closed (" + why + ") after " + (System.nanoTime() - openedNanos) / 1_000_000 + " ms, "
                        + bytesForth.get() + " bytes in, " + bytesBack.get() + " bytes out");
        }
    }

    private static String firstLineOf(byte[] buffer, int length) {
        int end = 0;
        while (end < length && end < FIRST_LINE_MAX && buffer[end] != '\r' && buffer[end] != '\n') {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.ISO_8859_1);
    }

    private static String masked(String line) {
        return line.replaceAll("token=[^&\\s]+", "token=***");
    }

    private synchronized void log(String line) {
        try {
            Files.writeString(logFile, Instant.now() + " " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for diagnosis only
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // gone either way
        }
    }
}
