package com.matchbook.realtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.ServerProcess;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server under a small descriptor limit, flooded past it with held connections (issue 11): it refuses
 * the excess and keeps listening. Without the connection cap, Helidon's listener dies at about 900 connections here.
 */
class FloodIT {
    private static final int DESCRIPTOR_LIMIT = 1024;
    private static final int FLOOD = 1300;

    @TempDir
    Path data;

    @Test
    void aFloodPastTheDescriptorLimitIsRefusedAndTheNodeKeepsListening() throws Exception {
        try (ServerProcess server = new ServerProcess(data, Map.of()).descriptorLimit(DESCRIPTOR_LIMIT).start()) {
            long pid = server.process().pid();
            List<Socket> flood = new ArrayList<>();
            int answered503 = 0;
            try {
                for (int i = 0; i < FLOOD; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                    flood.add(s);
                }
                // Connections are accepted about in the order they were opened: the refused are among the last.
                for (Socket s : flood.subList(FLOOD / 2, FLOOD)) {
                    if (firstLine(s).startsWith("HTTP/1.1 503")) {
                        answered503++;
                    }
                }
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
            assertTrue(answered503 > 0, "no connection of " + FLOOD + " was refused with 503");
            Eventually.holds("/health answers after the flood", () -> healthy(server), Duration.ofSeconds(30));
            try (TestSocket socket = TestSocket.welcomed(server.ws("?id=after-the-flood"))) {
                assertFalse(socket.isClosed());
            }
            assertTrue(server.process().isAlive());
            assertEquals(pid, server.process().pid(), "the same process: no restart");
            String metrics = Http.get(server.http("/metrics")).body();
            assertTrue(metrics.matches(
                               "(?s).*matchbook_tcp_refused_total\\{[^}]*reason=\"max_connections\"[^}]*} [1-9].*"),
                       "refusals counted in /metrics");
            assertFalse(server.log().contains("this server socket is terminating now"), "the listener died");
        }
    }

    @Test
    void aListenerThatDiesAnywayEndsTheProcessNonZero() throws Exception {
        // A cap set above the descriptor limit lets accept fail with EMFILE: the last resort must then act.
        try (ServerProcess server = new ServerProcess(data, Map.of("matchbook.limits.max-connections", "5000"))
                .descriptorLimit(DESCRIPTOR_LIMIT).start()) {
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < FLOOD && server.process().isAlive(); i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2_000);
                        flood.add(s);
                    } catch (IOException e) {
                        s.close();   // refused: the listener is already gone
                        break;
                    }
                }
                assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "a deaf process stayed alive");
                assertEquals(75, server.process().exitValue());
                assertTrue(server.log().contains("event=listener-dead"), "the reason is logged");
            } finally {
                for (Socket s : flood) {
                    s.close();
                }
            }
        }
    }

    private static boolean healthy(ServerProcess server) {
        try {
            return Http.get(server.http("/health")).status() == 200;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** The first line the server sent on {@code s}, or "" if it sent nothing in a short while. */
    private static String firstLine(Socket s) throws IOException {
        s.setSoTimeout(20);
        StringBuilder line = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            for (int b = in.read(); b >= 0 && b != '\r' && line.length() < 100; b = in.read()) {
                line.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            return line.toString();
        } catch (IOException e) {
            return line.toString();   // reset after the linger: what was read is the answer
        }
        return line.toString();
    }
}
