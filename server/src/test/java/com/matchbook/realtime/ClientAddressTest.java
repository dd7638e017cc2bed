package com.matchbook.realtime;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.LogLines;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.ws.wire.ProtocolErrorLog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every per-address decision names the client's real address: the peer's own, or, from a configured trusted proxy
 * only ({@code matchbook.trusted-proxies}), the address its {@code Forwarded} / {@code X-Forwarded-For} gives. The
 * connection caps are in {@code limits/ConnectionGuardTest}; here the {@code /send-message} rate per address and the
 * rate-limited protocol-error log. Every test client is 127.0.0.1.
 */
class ClientAddressTest {
    /**
     * Sends in a row against a rate of one a second (burst one): at least half are limited unless the ten take over
     * four seconds, which a loaded machine does not reach (at three a second they had to fit in 0.67 s).
     */
    private static final int SENDS = 10;

    @Test
    void withoutATrustedProxyEverySenderFromOneAddressSharesItsSendRate() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.sends-per-second", "1"))) {
            int limited = limitedOf(server, i -> "");
            assertTrue(limited >= SENDS / 2, "limited " + limited + " of " + SENDS + " at 1 per second");
        }
    }

    @Test
    void behindATrustedProxyEachForwardedClientHasItsOwnSendRate() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.sends-per-second", "1",
                                                               "matchbook.trusted-proxies", "127.0.0.1"))) {
            int limited = limitedOf(server, i -> "198.51.100.1");
            assertTrue(limited >= SENDS / 2, "one forwarded client is paced: limited " + limited);
            // Right after that client used up its rate, other clients behind the same proxy are not refused.
            assertEquals(0, limitedOf(server, i -> "198.51.100." + (10 + i)),
                         "each forwarded client is counted on its own");
            assertEquals(202, send(server, "Forwarded: for=\"198.51.100.2:4711\";proto=https").status(),
                         "the standard Forwarded header names the client too");
        }
    }

    @Test
    void anUntrustedPeerCannotDodgeTheSendRateByNamingOtherClients() {
        for (String trusted : List.of("", "10.0.0.0/8")) {
            Map<String, String> settings = trusted.isEmpty()
                    ? Map.of("matchbook.limits.sends-per-second", "1")
                    : Map.of("matchbook.limits.sends-per-second", "1", "matchbook.trusted-proxies", trusted);
            try (RunningServer server = RunningServer.start(settings)) {
                int limited = limitedOf(server, i -> "203.0.113." + (1 + i));
                assertTrue(limited >= SENDS / 2, "trusted '" + trusted + "': a spoofed header dodged the rate ("
                        + limited + " limited)");
            }
        }
    }

    @Test
    void aProtocolErrorIsLoggedWithTheForwardedClientBehindATrustedProxy() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.trusted-proxies", "127.0.0.1"));
             LogLines log = LogLines.of(ProtocolErrorLog.class)) {
            breakTheProtocol(server, "X-Forwarded-For: 198.51.100.77\r\n");
            Eventually.holds("a protocol-error line naming the forwarded client",
                             () -> log.any(l -> l.contains("peer=198.51.100.77 via=127.0.0.1")));
        }
    }

    @Test
    void aProtocolErrorFromAnUntrustedPeerIsLoggedWithThePeerNotTheHeader() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of());
             LogLines log = LogLines.of(ProtocolErrorLog.class)) {
            breakTheProtocol(server, "X-Forwarded-For: 198.51.100.78\r\n");
            Eventually.holds("a protocol-error line naming the socket's peer",
                             () -> log.any(l -> l.contains("peer=127.0.0.1 ")));
            assertFalse(log.any(l -> l.contains("198.51.100.78")), "the spoofed address was logged: " + log.lines());
        }
    }

    /** {@link #SENDS} sends in a row, the i-th as forwarded for {@code forwardedFor(i)} (none when empty). */
    private static int limitedOf(RunningServer server, java.util.function.IntFunction<String> forwardedFor) {
        int limited = 0;
        for (int i = 0; i < SENDS; i++) {
            String client = forwardedFor.apply(i);
            Http.Reply r = send(server, client.isEmpty() ? "" : "X-Forwarded-For: " + client);
            if (r.status() == 429) {
                limited++;
                assertEquals("rate_limited", r.json().getString("error"));
            } else {
                assertEquals(202, r.status(), r.body());
            }
        }
        return limited;
    }

    private static Http.Reply send(RunningServer server, String header) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/send-message"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"addr-rated\",\"text\":\"hi\"}"));
        if (!header.isEmpty()) {
            int colon = header.indexOf(':');
            b.header(header.substring(0, colon), header.substring(colon + 1).trim());
        }
        return Http.send(b);
    }

    /** Upgrades with {@code extraHeaders}, then sends a frame with a reserved opcode: close 1002 and a log line. */
    private static void breakTheProtocol(RunningServer server, String extraHeaders) throws Exception {
        try (RawSocket socket = new RawSocket(server.port(), "?id=addr-broken", extraHeaders)) {
            assertTrue(socket.upgraded(), socket.responseHead());
            socket.sendRaw(RawSocket.frame(0x80 | 3, true, "x".getBytes(StandardCharsets.UTF_8)));
            assertEquals(1002, socket.readUntil(RawSocket.CLOSE).closeCode());
        }
    }
}
