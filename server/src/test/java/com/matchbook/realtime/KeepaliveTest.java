package com.matchbook.realtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pings, pongs and the cleanup of connections that stop answering, with a heartbeat in milliseconds. */
class KeepaliveTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.heartbeat-interval", INTERVAL.toString(),
                                            "matchbook.heartbeat-timeout", TIMEOUT.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void serverSendsAControlPingAndAPingFrameEachInterval() throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), "?id=pinged")) {
            assertTrue(raw.read().text().contains("\"welcome\""));
            boolean sawControl = false;
            boolean sawFrame = false;
            while (!(sawControl && sawFrame)) {
                RawSocket.Frame f = raw.read();
                if (f.opcode() == RawSocket.PING) {
                    sawControl = true;
                    raw.send(RawSocket.PONG, true, f.payload());
                } else if (f.opcode() == RawSocket.TEXT) {
                    sawFrame |= f.text().equals("{\"type\":\"ping\"}");
                }
            }
        }
    }

    @Test
    void clientPingIsAnsweredWithItsPayload() throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), "?id=pinger")) {
            byte[] payload = "are you there".getBytes(StandardCharsets.UTF_8);
            raw.send(RawSocket.PING, true, payload);
            assertArrayEquals(payload, raw.readUntil(RawSocket.PONG).payload());
        }
    }

    @Test
    void silentConnectionIsClosedAndUnregistered() throws Exception {
        try (RawSocket silent = new RawSocket(server.port(), "?id=silent")) {
            Eventually.holds("registered", () -> server.app().hub().connectionsOf("silent") == 1);
            long start = System.nanoTime();
            RawSocket.Frame close = silent.readUntil(RawSocket.CLOSE);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertEquals(1001, close.closeCode());
            assertTrue(close.closeReason().contains("heartbeat"), close.closeReason());
            // Cut by the heartbeat, not by the read deadline below it: the exact instant is KeepaliveSweepTest's (a
            // clock), since a loaded machine can stall this client or the sweep for more than a second.
            assertTrue(took.compareTo(TestSocket.WAIT) < 0, "closed after " + took);
            assertEquals(0, server.app().hub().connectionsOf("silent"));
            assertTrue(silent.awaitEof(), "the socket is dropped even though the peer never answered the close");
        }
    }

    @Test
    void vanishedSocketIsUnregisteredWithoutWaitingForTheHeartbeat() throws Exception {
        // The default heartbeat (ping after 25 s, cut 10 s later): unregistered well within the wait can only be the
        // vanished reader noticed, whereas with this class's 0.4 s heartbeat a slow machine could not tell the two.
        try (RunningServer slowBeat = RunningServer.start(Map.of())) {
            RawSocket raw = new RawSocket(slowBeat.port(), "?id=vanisher");
            Eventually.holds("registered", () -> slowBeat.app().hub().connectionsOf("vanisher") == 1);
            raw.close();   // no close frame: the TCP connection just ends
            Eventually.holds("unregistered", () -> slowBeat.app().hub().connectionsOf("vanisher") == 0);
            assertEquals(0, slowBeat.app().stats().heartbeatTimeouts(), "not cut by the heartbeat");
        }
    }

    /** Threads of this JVM that the server could have left behind (the test's own HTTP client is not counted). */
    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("HttpClient-"))
                .sorted()
                .toList();
    }

    @Test
    void anHourOfHeartbeatsLeavesNothingBehind() {
        // 144 intervals is an hour at the default 25 s; here an interval is 25 ms. The timeout stays well above what a
        // loaded 2-core machine can stall a test client for (0.5 s cut live clients there): what is tested is that
        // nothing is left behind, not how fast a silent peer is cut (KeepaliveSweepTest does that with a clock).
        try (RunningServer fast = RunningServer.start(Map.of("matchbook.heartbeat-interval", "PT0.025S",
                                                             "matchbook.heartbeat-timeout", "PT3S"))) {
            try (TestSocket warmUp = TestSocket.welcomed(fast.ws("?id=warm-up"))) {
                warmUp.next("ping");
            }
            Eventually.holds("warm-up gone", () -> fast.app().hub().connectionCount() == 0);
            List<String> before = serverThreads();
            int clients = 20;
            List<TestSocket> sockets = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sockets.add(TestSocket.welcomed(fast.ws("?id=soak-" + (i % 7))));
            }
            for (int beat = 0; beat < 144; beat++) {
                for (TestSocket s : sockets) {
                    s.next("ping");
                }
            }
            for (TestSocket s : sockets) {
                assertFalse(s.isClosed(), "a live client is never cut by the keepalive");
            }
            assertEquals(clients, fast.app().hub().connectionCount());
            sockets.forEach(TestSocket::close);
            Eventually.holds("registry empty", () -> fast.app().hub().connectionCount() == 0
                    && fast.app().hub().userCount() == 0);
            Eventually.holds("no close handshake pending", () -> fast.app().keepalive().closingCount() == 0);
            Eventually.holds("no writer running", () -> fast.app().hub().activeWriters() == 0);
            Eventually.holds("no server thread left over: " + before + " vs " + serverThreads(),
                             () -> serverThreads().size() <= before.size());
        }
    }
}
