package com.matchbook.realtime.limits;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Listens on the service's port from the first moments of the start-up and accepts nothing: the kernel completes
 * the clients' TCP handshakes and queues them, so a client that reconnects while the node starts waits for its
 * answer instead of being refused.
 *
 * <p>Why: after a crash every client reconnects at once, and a client that finds the port closed backs off with a
 * window that doubles per refusal (the browser and Java clients: full jitter from 500 ms up to 30 s). The JVM,
 * Helidon's configuration, the store and the metrics take about two seconds on one core before Helidon binds its port;
 * clients refused that often come back only after 8-16 s (docs/performance.md, "Storm: the port held while the node
 * starts").
 *
 * <p>How: Helidon binds its own listener inside {@code WebServer.start()} and cannot take over a socket opened
 * earlier, so both sockets are bound with {@code SO_REUSEPORT} (socket(7)) and this one is closed once Helidon listens.
 * What the kernel queued here by then moves to Helidon's socket only when {@code net.ipv4.tcp_migrate_req} is 1 (Linux
 * 5.14+, the kernel's ip-sysctl.rst); with the default 0 it would be reset, and a client held two seconds and then
 * reset comes back no sooner than one refused at once (measured: docs/performance.md, "Storm: the port held while the
 * node starts"), so without that setting nothing is held. The port is probed with a plain bind first, so a port that
 * another process listens on still fails the start as before: {@code SO_REUSEPORT} shares a port only between sockets
 * of one user that all ask for it.
 *
 * <p>It opens before Helidon's configuration is read (that alone takes a third of the start-up), from the address
 * Helidon will read where that can be known so early: {@code -Dserver.host}/{@code -Dserver.port}, else the
 * environment's {@code SERVER_HOST}/{@code SERVER_PORT}, else application.yaml's defaults (0.0.0.0:8080). Once the
 * configuration is read, {@link #keepFor} closes it if Helidon's address turned out to be another one.
 */
public final class StartupBacklog implements AutoCloseable {
    /** Capped by net.core.somaxconn (4096 by default since Linux 5.4). */
    private static final int BACKLOG = 4096;
    /** application.yaml's {@code server.host} and {@code server.port}. */
    private static final String DEFAULT_HOST = "0.0.0.0";
    private static final int DEFAULT_PORT = 8080;
    private static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private final ServerSocket socket;
    private final InetSocketAddress address;

    private StartupBacklog(ServerSocket socket, InetSocketAddress address) {
        this.socket = socket;
        this.address = address;
    }

    /**
     * Holds the address Helidon will most likely listen on ({@link #configured}), if the kernel will hand the
     * connections queued there over to Helidon's socket.
     *
     * @return empty when the kernel would not ({@link #migrates()}: then holding would not help), the address is not
     *         known this early, the port is 0 (chosen by the web server's own bind), the port cannot be bound (taken:
     *         the web server's own bind then fails and says so), or the platform has no {@code SO_REUSEPORT}
     */
    public static Optional<StartupBacklog> openConfigured(Properties properties, Map<String, String> environment) {
        // No lambda on this path: on a cold JVM the first one costs several milliseconds of bootstrapping (the AOT
        // cache holds no linked call sites under ZGC), all of them while the port is still closed.
        if (!migrates()) {
            return Optional.empty();
        }
        Optional<Address> address = configured(properties, environment);
        return address.isPresent() ? bind(address.get().host(), address.get().port()) : Optional.empty();
    }

    /** A host and a port as the configuration names them. */
    record Address(String host, int port) {
    }

    /**
     * The address from {@code -Dserver.host}/{@code -Dserver.port}, else {@code SERVER_HOST}/{@code SERVER_PORT},
     * else application.yaml's defaults: Helidon's own order of those sources.
     *
     * @return empty when the port is not a number (Helidon reads the same value and says what is wrong with it)
     */
    static Optional<Address> configured(Properties properties, Map<String, String> environment) {
        String host = properties.getProperty("server.host", environment.getOrDefault("SERVER_HOST", DEFAULT_HOST));
        String port = properties.getProperty("server.port", environment.getOrDefault("SERVER_PORT", ""));
        try {
            return Optional.of(new Address(host, port.isBlank() ? DEFAULT_PORT : Integer.parseInt(port.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Binds {@code host:port} as described above, whatever {@code tcp_migrate_req} says (the tests see both). */
    static Optional<StartupBacklog> bind(String host, int port) {
        if (port <= 0 || port > 65535) {
            return Optional.empty();
        }
        // java.net.ServerSocket, not a ServerSocketChannel, whose first open has ServiceLoader search every jar of the
        // class path for a SelectorProvider while the port is closed: held 0.05 s sooner, and fewer of a storm's
        // clients refused (docs/performance.md, "The port held with a java.net.ServerSocket: kept").
        ServerSocket listener = null;
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            try (ServerSocket probe = new ServerSocket()) {
                if (!probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    return Optional.empty();
                }
                // SO_REUSEADDR, as Helidon's own socket has it: the dead node's connections linger in TIME_WAIT.
                probe.setReuseAddress(true);
                probe.bind(address, 1);
            }
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            listener.bind(address, BACKLOG);
            return Optional.of(new StartupBacklog(listener, address));
        } catch (IOException | SecurityException e) {
            closeQuietly(listener);
            log().log(Level.DEBUG, () -> host + ":" + port + " not held during the start-up: " + e);
            return Optional.empty();
        }
    }

    /**
     * Whether this holds the address the web server was configured with; closes it when it does not.
     *
     * @param host the configured {@code server.host}
     * @param port the configured {@code server.port}
     */
    public boolean keepFor(String host, int port) {
        boolean same;
        try {
            same = port == address.getPort() && InetAddress.getByName(host).equals(address.getAddress());
        } catch (IOException e) {
            same = false;
        }
        if (!same) {
            close();
        }
        return same;
    }

    /** Whether the kernel moves a closed listener's queued connections to another of its port ({@code tcp_migrate_req}). */
    public static boolean migrates() {
        try {
            return Files.readString(MIGRATE_REQ).strip().equals("1");
        } catch (IOException | SecurityException e) {
            return false;   // not Linux, or before 5.14
        }
    }

    /** Stops holding the port: called once the web server listens on it too. */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    /** Looked up when needed, not at class load: this class runs before the logging is set up (Main). */
    private static System.Logger log() {
        return System.getLogger(StartupBacklog.class.getName());
    }

    private static void closeQuietly(ServerSocket listener) {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            log().log(Level.DEBUG, () -> "closing the start-up listener: " + e);
        }
    }
}
