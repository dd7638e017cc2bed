package com.matchbook.realtime.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import com.matchbook.realtime.e2e.support.AdminTokens;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.ConsolePage;
import com.matchbook.realtime.e2e.support.DevTokens;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator console as an operator uses it: it sees a connection another browser opens, its charts move with the
 * traffic, and disconnecting closes that page with 4030 for good; TCP connections refused or cut before any request
 * show in its TCP chart and tiles; with auth on it needs an admin token.
 */
@ExtendWith(E2eExtension.class)
class ConsoleIT {
    private static final String SECRET = "e2e-only-secret-0123456789abcdefghijklmnop";
    private static final Duration CONNECT = Duration.ofSeconds(15);
    /** The contract of issue 15: a new connection shows on the console within two seconds. */
    private static final Duration SHOWS_WITHIN = Duration.ofSeconds(2);
    private static final int PER_ADDRESS = 20;
    private static final String SECOND_ADDRESS = "127.0.0.2";
    private static final Duration POLL = Duration.ofMillis(20);

    @Test
    void aConnectionFromAnotherBrowserShowsMovesTheChartsAndDisconnectingClosesItFor4030(ServerProcess server,
                                                                                        Browsers browsers) {
        ConsolePage console = ConsolePage.open(browsers.open(), server);
        console.awaitApiState("open", CONNECT);
        // The state turns "open" on the first answer of any poll; the warning comes with the status's own answer.
        console.waitUntil(Duration.ofSeconds(5), () -> "auth is off: the console should warn that anyone can use it; shows \""
                                            + console.openWarning() + "\"",
                          d -> console.openWarning().contains("anyone"));

        String userId = Users.unique("watched");
        console.noteRowOf(userId);
        ChatPage chat = ChatPage.open(browsers.open(), server, userId);
        chat.awaitState("open", CONNECT);
        ConsolePage.Row row = awaitRowShownWithin(console, userId, System.currentTimeMillis());
        assertEquals("WebSocket", row.transport());
        assertEquals("local", row.node());

        // Messages flow to the watched page until the console's messages chart shows them going out.
        long before = console.chartLastSecond("chart-messages");
        int[] sent = {0};
        console.waitUntil(Duration.ofSeconds(10), "the messages chart shows messages going out", d -> {
            SendMessage.accepted(server, userId, "system", "flow " + sent[0]++);
            Optional<Double> out = console.chartNow("chart-messages", "out");
            return out.isPresent() && out.get() > 0 && console.chartLastSecond("chart-messages") > before;
        });
        chat.awaitIncoming("flow 0", Duration.ofSeconds(5));

        console.disconnect(row.connectionId());
        String error = chat.awaitError("4030", Duration.ofSeconds(5));
        assertTrue(error.contains("operator"), "#error says an operator closed it: \"" + error + "\"");
        chat.awaitState("closed", Duration.ofSeconds(2));
        chat.assertHolds(Duration.ofSeconds(4), "the page stays closed after 4030",
                         d -> "closed".equals(chat.state()));
        console.search(userId);
        // The rows go at once when Disconnect is pressed; the search's own answer is what must show none.
        String none = "0 open connections of " + userId;
        console.waitUntil(Duration.ofSeconds(5), () -> "the console should list no connection of " + userId + ": \""
                                                       + console.textOf("#connections-summary") + "\"",
                          d -> none.equals(console.element("#connections-summary").getText())
                                  && console.rows().isEmpty());
    }

    @Test
    void aTcpRefusalAndTimeoutsMadeByAClientShowOnTheConsole(
            @OwnServer({"matchbook.limits.connections-per-address=" + PER_ADDRESS}) ServerProcess server,
            Browsers browsers) throws IOException {
        ConsolePage console = ConsolePage.open(browsers.open(), server);
        console.awaitApiState("open", CONNECT);
        assertTrue(console.tile("tcpRefusalsDetail").startsWith("none in the last"), console.tile("tcpRefusalsDetail"));

        // A client at 127.0.0.2 (the browser is at 127.0.0.1, so its own connections are not counted with these)
        // opens one connection more than its address may hold, none of them sending a request. The server admits
        // accepted sockets on their own threads, in no set order: which one is over the cap is the server's choice,
        // so the test finds the one that was answered.
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i <= PER_ADDRESS; i++) {
                held.add(from(SECOND_ADDRESS, server));
            }
            try (Socket over = theOneAnswered(held, Duration.ofSeconds(5))) {
                held.remove(over);
                String answer = new String(over.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 429", answer, "the connection over the per-address cap is refused");
            }
            console.waitUntil(Duration.ofSeconds(10), "the TCP chart shows the per-address refusal",
                              d -> console.chartPeak("chart-tcp", "per address (429)").orElse(0.0) >= 1);
            console.waitUntil(Duration.ofSeconds(5), "the TCP refusals tile counts it by cause",
                              d -> console.tile("tcpRefusalsDetail").matches("1 in the last .*: per address 1"));

            // None of the held connections sends a request head: each is cut at the header timeout (10 s).
            for (Socket s : held) {
                assertEquals(-1, s.getInputStream().read(), "a silent connection is cut");
            }
            console.waitUntil(Duration.ofSeconds(10), () -> "the TCP timeouts tile counts every cut connection; shows \""
                                      + console.tile("tcpTimeoutsDetail") + "\"",
                              // The browser's own idle keep-alive connections may add "keep-alive N".
                              d -> console.tile("tcpTimeoutsDetail")
                                      .matches("\\d+ in the last .*: request head " + PER_ADDRESS + "(, .*)?"));
            assertTrue(console.chartPeak("chart-tcp", "request head timeouts").orElse(0.0) >= 1,
                       console.chartSummary("chart-tcp"));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /**
     * The one socket of {@code sockets} with bytes to read, waiting up to {@code within} (well under the header
     * timeout, which would cut the others, and a cut socket has nothing to read); fails if none or several were
     * answered.
     */
    private static Socket theOneAnswered(List<Socket> sockets, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            List<Socket> answered = new ArrayList<>();
            for (Socket s : sockets) {
                if (s.getInputStream().available() > 0) {
                    answered.add(s);
                }
            }
            if (!answered.isEmpty()) {
                assertEquals(1, answered.size(), "one connection is over the cap, one is refused");
                return answered.getFirst();
            }
            assertTrue(System.nanoTime() < deadline, "no connection was refused within " + within);
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** A TCP connection to the server from one of the loopback's other addresses. */
    private static Socket from(String localAddress, ServerProcess server) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(localAddress, 0));
        URI base = URI.create(server.baseUrl());
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void withAuthOnTheConsoleWithoutAnAdminTokenIsRefused(
            @OwnServer({"matchbook.auth.secret=" + SECRET, "matchbook.auth.dev-tokens=true"}) ServerProcess server,
            Browsers browsers) {
        ConsolePage console = ConsolePage.open(browsers.open(), server);
        assertEquals("Refused", console.awaitApiState("refused", CONNECT));
        assertTrue(console.awaitError("401", Duration.ofSeconds(2)).contains("admin token"),
                   "the page says how to give it a token");
        assertEquals("", console.openWarning(), "auth is on: no warning that anyone can use it");
        assertTrue(console.rows().isEmpty());

        console.useToken(DevTokens.tokenFor(server, Users.unique("someone")));
        console.awaitError("403", Duration.ofSeconds(5));

        console.useToken(AdminTokens.sign(SECRET, "ops", "admin"));
        assertEquals("Live", console.awaitApiState("open", Duration.ofSeconds(5)));
        String userId = Users.unique("guarded");
        console.noteRowOf(userId);
        ChatPage chat = ChatPage.open(browsers.open(), server, userId);
        chat.awaitState("open", CONNECT);
        awaitRowShownWithin(console, userId, System.currentTimeMillis());
        // The browser logs every refused request as a console error: here the refusals are what the test asks for,
        // and nothing else may appear.
        List<String> errors = browsers.takeConsoleErrors();
        assertTrue(errors.stream().allMatch(e -> e.contains("/api/admin/")
                           && (e.contains("status of 401") || e.contains("status of 403"))),
                   "only the console API's refusals were logged: " + errors);
    }

    /**
     * Waits (generously) for the console to list a connection of {@code userId}, then checks the contract on the
     * time the console page itself noted ({@link ConsolePage#noteRowOf}): at most {@link #SHOWS_WITHIN} after
     * {@code openSeenAt}, when the test saw the chat page open.
     */
    private static ConsolePage.Row awaitRowShownWithin(ConsolePage console, String userId, long openSeenAt) {
        ConsolePage.Row row = console.awaitRowOf(userId, CONNECT);
        long tookMs = console.rowNotedAt() - openSeenAt;
        assertTrue(tookMs <= SHOWS_WITHIN.toMillis(),
                   "the connection showed on the console " + tookMs + " ms after the page was open, past "
                           + SHOWS_WITHIN.toMillis() + " ms");
        return row;
    }
}
