package com.matchbook.realtime.limits;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client sees of a node's port while the node starts (the storm after a crash). */
class StartupBacklogTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final byte[] REQUEST = "GET /ws?id=ann HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aClientConnectingWhileTheNodeStartsIsQueuedAndThenServedOrResetOnce() throws IOException {
        int port = freePort();
        StartupBacklog backlog = StartupBacklog.bind(LOOPBACK, port).orElseThrow();
        try (Socket client = new Socket()) {
            // Nothing accepts yet: the kernel completes the handshake and queues the connection.
            client.connect(new InetSocketAddress(LOOPBACK, port), 2_000);
            client.getOutputStream().write(REQUEST);
            try (ServerSocketChannel server = reusePortListener(port)) {
                backlog.close();
                if (StartupBacklog.migrates()) {
                    try (Socket accepted = server.socket().accept()) {
                        assertArrayEquals(REQUEST, accepted.getInputStream().readNBytes(REQUEST.length),
                                          "the web server reads the request the client sent while it started");
                    }
                } else {
                    client.setSoTimeout(5_000);
                    assertFalse(answered(client.getInputStream()), "reset: the client learns it must reconnect");
                }
            }
        } finally {
            backlog.close();
        }
    }

    @Test
    void aPortAnotherProcessListensOnIsNotHeldSoTheStartStillFails() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK))) {
            assertEquals(Optional.empty(), StartupBacklog.bind(LOOPBACK, other.getLocalPort()).map(b -> "held"));
        }
    }

    @Test
    void anyPortOrAnImpossibleOneIsNotHeld() {
        assertTrue(StartupBacklog.bind(LOOPBACK, 0).isEmpty(), "port 0 is chosen by the web server's own bind");
        assertTrue(StartupBacklog.bind(LOOPBACK, 70_000).isEmpty());
        assertTrue(StartupBacklog.bind("no-such-host.invalid", 8080).isEmpty());
    }

    @Test
    void theAddressComesFromSystemPropertiesThenTheEnvironmentThenTheDefaults() {
        Properties properties = new Properties();
        properties.setProperty("server.host", "10.0.0.1");
        properties.setProperty("server.port", "9090");
        Map<String, String> environment = Map.of("SERVER_HOST", "10.0.0.2", "SERVER_PORT", " 7070 ");
        assertEquals(Optional.of(new StartupBacklog.Address("10.0.0.1", 9090)),
                     StartupBacklog.configured(properties, environment));
        assertEquals(Optional.of(new StartupBacklog.Address("10.0.0.2", 7070)),
                     StartupBacklog.configured(new Properties(), environment));
        assertEquals(Optional.of(new StartupBacklog.Address("0.0.0.0", 8080)),
                     StartupBacklog.configured(new Properties(), Map.of()), "application.yaml's defaults");
        properties.setProperty("server.port", "eighty");
        assertEquals(Optional.empty(), StartupBacklog.configured(properties, environment),
                     "a port that is no number is left to Helidon's configuration to report");
    }

    @Test
    void anAddressTheConfigurationDoesNotNameIsLetGoAtOnce() throws IOException {
        int port = freePort();
        StartupBacklog backlog = StartupBacklog.bind(LOOPBACK, port).orElseThrow();
        try {
            assertTrue(backlog.keepFor(LOOPBACK, port));
            assertTrue(isListening(port));
            assertFalse(backlog.keepFor(LOOPBACK, port == 65535 ? port - 1 : port + 1));
            assertFalse(isListening(port), "the guessed port is free again");
        } finally {
            backlog.close();
        }
    }

    @Test
    void closingLetsThePortGoAndMayBeRepeated() throws IOException {
        int port = freePort();
        StartupBacklog backlog = StartupBacklog.bind(LOOPBACK, port).orElseThrow();
        backlog.close();
        backlog.close();
        assertFalse(isListening(port));
    }

    /** Helidon's listener as {@code Main} configures it while a backlog is held. */
    private static ServerSocketChannel reusePortListener(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.bind(new InetSocketAddress(LOOPBACK, port));
        return channel;
    }

    /** Whether the peer sent anything before its end: false on a reset or an end of stream. */
    private static boolean answered(InputStream in) throws SocketTimeoutException {
        try {
            return in.read() >= 0;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isListening(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        }
    }
}
