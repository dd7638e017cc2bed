package com.matchbook.realtime.limits;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.PlainSocket;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.StackTraces;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Caps and timeouts at the TCP level (issue 11, docs/protocol.md 1.1 limits), seen from clients on the wire. */
class ConnectionGuardTest {
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(1);
    /** A cut is due within the timeout plus one sweep; this leaves room for a loaded machine. */
    private static final Duration CUT_WITHIN = SHORT_TIMEOUT.plusSeconds(4);

    @Test
    void aTricklingRequestHeadIsCutWithinTheTimeoutWhileANormalClientIsServed() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.header-timeout", "PT1S"));
             PlainSocket slow = new PlainSocket(server.port())) {
            long start = System.nanoTime();
            CompletableFuture<Boolean> cut =
                    CompletableFuture.supplyAsync(() -> trickle(slow, "GET /health HTTP/1.1\r\n"));
            for (int i = 0; i < 5; i++) {
                assertEquals(200, Http.get(server.http("/health")).status(), "a normal client beside the slow one");
            }
            assertTrue(cut.get(CUT_WITHIN.toSeconds() + 2, TimeUnit.SECONDS), "the trickling head was cut");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(CUT_WITHIN) < 0, "cut after " + took);
            Eventually.holds("counted as a header timeout", () -> tcp(server).getInt("headerTimeouts") >= 1);
        }
    }

    @Test
    void aTricklingRequestBodyIsCutWithinTheTimeoutWhileANormalSendIsServed() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.header-timeout", "PT1S"));
             PlainSocket slow = new PlainSocket(server.port());
             StackTraces traces = StackTraces.watch()) {
            // A complete head announcing 1000 bytes, then the body one byte at a time, far below the minimum rate.
            slow.send("POST /send-message HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              + "Content-Length: 1000\r\n\r\n{\"to\":\"body-slow\",\"text\":\"");
            long start = System.nanoTime();
            CompletableFuture<Boolean> cut = CompletableFuture.supplyAsync(() -> trickle(slow, "x".repeat(200)));
            for (int i = 0; i < 3; i++) {
                Http.Reply normal = Http.postJson(server.http("/send-message"),
                                                  "{\"to\":\"body-normal\",\"text\":\"served " + i + "\"}");
                assertEquals(202, normal.status(), "a normal sender beside the slow one: " + normal.body());
            }
            assertTrue(cut.get(CUT_WITHIN.toSeconds() + 2, TimeUnit.SECONDS), "the trickling body was cut");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(CUT_WITHIN) < 0, "cut after " + took);
            Eventually.holds("counted as a body timeout", () -> tcp(server).getInt("bodyTimeouts") >= 1);
            assertEquals(0, Http.get(server.http("/api/users/body-slow/messages?since=0")).json()
                    .getJsonArray("messages").size(), "nothing of the cut request was stored");
            assertEquals(List.of(), traces.seen(), "a slow client is not a stack trace in the log");
        }
    }

    @Test
    void aLargeBodyThatKeepsTheMinimumRateIsNotCut() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.header-timeout", "PT1S"));
             PlainSocket steady = new PlainSocket(server.port())) {
            // 6 KiB in 1 KiB pieces, one every 500 ms: three seconds in all, three times the timeout, but at twice
            // the minimum rate of 1 KiB/s, so the body's deadline keeps moving ahead of it.
            String text = "y".repeat(6 * 1024);
            String body = "{\"to\":\"body-steady\",\"text\":\"" + text + "\"}";
            steady.send("POST /send-message HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + body.length() + "\r\n\r\n");
            for (int from = 0; from < body.length(); from += 1024) {
                steady.send(body.substring(from, Math.min(body.length(), from + 1024)));
                if (from + 1024 < body.length()) {
                    assertFalse(steady.closedWithin(Duration.ofMillis(500)), "cut at byte " + from);
                }
            }
            String response = steady.readResponse();
            assertTrue(response.startsWith("HTTP/1.1 202"), response);
            assertEquals(0, tcp(server).getInt("bodyTimeouts"));
        }
    }

    @Test
    void aSilentConnectionIsCutAndAnIdleKeepAliveConnectionToo() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.header-timeout", "PT1S"));
             PlainSocket silent = new PlainSocket(server.port());
             PlainSocket keepAlive = new PlainSocket(server.port())) {
            String first = keepAlive.get("/health", "").readResponse();
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertTrue(silent.closedWithin(CUT_WITHIN), "silent connection still open");
            assertTrue(keepAlive.closedWithin(CUT_WITHIN), "idle keep-alive connection still open");
            var tcp = tcp(server);
            assertTrue(tcp.getInt("headerTimeouts") >= 1, tcp.toString());
            assertTrue(tcp.getInt("idleTimeouts") >= 1, tcp.toString());
        }
    }

    @Test
    void aWebSocketIsNotCutByTheHeaderTimeout() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.header-timeout", "PT1S"));
             TestSocket socket = TestSocket.welcomed(server.ws("?id=stays"));
             PlainSocket silent = new PlainSocket(server.port())) {
            // The silent socket, opened after the upgrade, is cut one timeout later: by then the WebSocket has been
            // past its own head deadline for longer, so a guard that still timed it would have cut it first.
            assertTrue(silent.closedWithin(CUT_WITHIN));
            assertFalse(socket.isClosed(), "the WebSocket was cut");
            assertEquals(202, Http.postJson(server.http("/send-message"),
                                            "{\"to\":\"stays\",\"text\":\"still here\"}").status());
            assertEquals("still here", socket.next("message").getString("text"));
        }
    }

    @Test
    void connectionCloseOnTheRequestEndsTheConnectionAfterTheResponse() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.header-timeout", "PT30S"));
             PlainSocket client = new PlainSocket(server.port())) {
            String response = client.get("/health", "Connection: close\r\n").readResponse();
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), response);
            assertTrue(client.closedWithin(Duration.ofSeconds(5)),
                       "server kept the connection after Connection: close");
        }
    }

    @Test
    void pastMaxConnectionsANewConnectionGets503WithRetryAfterAndTheNodeRecovers() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.max-connections", "4"))) {
            List<PlainSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    held.add(new PlainSocket(server.port()));
                }
                Eventually.holds("4 connections open", () -> server.app().connectionGuard().open() == 4);
                try (PlainSocket extra = new PlainSocket(server.port())) {
                    String refusal = extra.get("/health", "").readResponse();
                    assertTrue(refusal.startsWith("HTTP/1.1 503"), refusal);
                    assertTrue(refusal.matches("(?s).*Retry-After: \\d+.*"), refusal);
                    assertTrue(refusal.contains("\"error\":\"unavailable\""), refusal);
                    assertTrue(extra.closedWithin(Duration.ofSeconds(5)));
                }
            } finally {
                for (PlainSocket s : held) {
                    s.close();
                }
            }
            Eventually.holds("held connections released", () -> server.app().connectionGuard().open() == 0);
            assertEquals(200, Http.get(server.http("/health")).status());
            assertTrue(tcp(server).getInt("refusedFull") >= 1);
        }
    }

    @Test
    void oneAddressCannotHoldMoreThanItsCapAndForwardedHeadersFromStrangersAreIgnored() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.connections-per-address", "2"))) {
            try (RawSocket a = new RawSocket(server.port(), "?id=pa1", "X-Forwarded-For: 203.0.113.1\r\n");
                 RawSocket b = new RawSocket(server.port(), "?id=pa2", "X-Forwarded-For: 203.0.113.2\r\n")) {
                assertTrue(a.upgraded() && b.upgraded());
                try (PlainSocket third = new PlainSocket(server.port())) {
                    String refusal = third.get("/ws?id=pa3", "X-Forwarded-For: 203.0.113.3\r\n").readResponse();
                    assertTrue(refusal.startsWith("HTTP/1.1 429"), "untrusted X-Forwarded-For counted: " + refusal);
                    assertTrue(refusal.matches("(?s).*Retry-After: \\d+.*"), refusal);
                    assertTrue(refusal.contains("too_many_connections"), refusal);
                }
            }
            Eventually.holds("released", () -> server.app().connectionGuard().open() == 0);
            try (RawSocket again = new RawSocket(server.port(), "?id=pa4")) {
                assertTrue(again.upgraded(), "the address may connect again once it closed some");
            }
            assertTrue(tcp(server).getInt("refusedPerAddress") >= 1);
        }
    }

    @Test
    void behindATrustedProxyTheCapAppliesToTheForwardedClient() throws Exception {
        try (RunningServer server = RunningServer.start(
                Map.of("matchbook.limits.connections-per-address", "2",
                       "matchbook.trusted-proxies", "10.0.0.0/8, 127.0.0.1"))) {
            String alice = "X-Forwarded-For: 198.51.100.7, 10.1.2.3\r\n";
            try (RawSocket a1 = new RawSocket(server.port(), "?id=tp1", alice);
                 RawSocket a2 = new RawSocket(server.port(), "?id=tp2", "Forwarded: for=198.51.100.7;proto=https\r\n");
                 RawSocket bob1 = new RawSocket(server.port(), "?id=tp3", "X-Forwarded-For: 198.51.100.8\r\n");
                 RawSocket bob2 = new RawSocket(server.port(), "?id=tp4", "Forwarded: for=\"198.51.100.8:4711\"\r\n")) {
                assertTrue(a1.upgraded() && a2.upgraded(), "two from one client");
                assertTrue(bob1.upgraded() && bob2.upgraded(), "all four came from 127.0.0.1, the proxy");
                try (RawSocket a3 = new RawSocket(server.port(), "?id=tp5", alice)) {
                    assertTrue(a3.responseHead().startsWith("HTTP/1.1 429"), a3.responseHead());
                }
            }
        }
    }

    private static jakarta.json.JsonObject tcp(RunningServer server) {
        return Http.get(server.http("/api/stats")).json().getJsonObject("tcp");
    }

    /** Sends {@code head} one byte per 200 ms; true if the server closed the connection before it was all sent. */
    private static boolean trickle(PlainSocket socket, String head) {
        try {
            for (char c : head.toCharArray()) {
                socket.send(String.valueOf(c));
                if (socket.closedWithin(Duration.ofMillis(200))) {
                    return true;
                }
            }
            return socket.closedWithin(CUT_WITHIN);
        } catch (IOException e) {
            return true;   // reset while writing: cut
        }
    }
}
