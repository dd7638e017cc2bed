package com.matchbook.realtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random bytes and random JSON thrown at the socket and at {@code /send-message}: never a 500, never a crash, and
 * afterwards the server serves a normal exchange with a clean registry. The seed is printed to replay a failure.
 */
class FuzzTest {
    private static final List<String> TYPES = List.of("send", "received", "read", "typing", "subscribe", "auth",
                                                      "ping", "pong", "welcome", "", "SEND", "message");
    private static final List<String> KEYS = List.of("type", "to", "text", "data", "ref", "seq", "id", "state",
                                                     "channels", "channel", "token", "from", "message");

    @Test
    void randomInputLeavesTheServerServingAndClean() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("fuzz seed " + seed);
        Random random = new Random(seed);
        try (RunningServer server = RunningServer.start(Map.of("matchbook.max-text-bytes", "4096",
                                                               "matchbook.max-binary-bytes", "8192",
                                                               "matchbook.limits.frames-per-second", "10000"))) {
            for (int round = 0; round < 30; round++) {
                try (RawSocket raw = new RawSocket(server.port(), "?id=fuzz-" + random.nextInt(5))) {
                    for (int i = 0; i < 40; i++) {
                        switch (random.nextInt(4)) {
                            case 0 -> raw.sendText(randomJson(random, 0));
                            case 1 -> raw.send(RawSocket.BINARY, true, randomBytes(random, 64));
                            case 2 -> raw.send(random.nextInt(16), random.nextBoolean(), randomBytes(random, 40));
                            default -> raw.sendRaw(randomBytes(random, 30));
                        }
                    }
                } catch (java.io.IOException expected) {
                    // the server may drop a socket that broke the framing: that is the right answer
                }
            }
            for (int i = 0; i < 300; i++) {
                String type = switch (random.nextInt(4)) {
                    case 0 -> "application/json";
                    case 1 -> "text/plain";
                    case 2 -> "application/json; charset=" + (random.nextBoolean() ? "utf-8" : "bogus");
                    default -> null;
                };
                String body = random.nextBoolean() ? randomJson(random, 0)
                        : new String(randomBytes(random, 200), StandardCharsets.ISO_8859_1);
                Http.Reply r = Http.post(server.http("/send-message"), type, body);
                assertTrue(r.status() == 202 || (r.status() >= 400 && r.status() < 500),
                           "status " + r.status() + " for " + body);
                if (r.status() != 202) {
                    assertTrue(r.json().containsKey("error"), r.body());
                }
            }

            Eventually.holds("fuzz sockets unregistered", () -> server.app().hub().connectionCount() == 0);
            try (TestSocket a = TestSocket.welcomed(server.ws("?id=after-a"));
                 TestSocket b = TestSocket.welcomed(server.ws("?id=after-b"))) {
                a.send("{\"type\":\"send\",\"ref\":\"ok\",\"to\":\"after-b\",\"text\":\"still fine\"}");
                assertEquals("ok", a.next("ack").getString("ref"));
                assertEquals("still fine", b.next("message").getString("text"));
            }
            Eventually.holds("registry clean", () -> server.app().hub().connectionCount() == 0
                    && server.app().hub().userCount() == 0 && server.app().hub().activeWriters() == 0);
        }
    }

    private static String randomJson(Random r, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(KEYS.get(r.nextInt(KEYS.size()))).append("\":");
            sb.append(randomValue(r, depth));
        }
        if (r.nextInt(3) > 0) {
            sb.append(n == 0 ? "" : ",").append("\"type\":\"").append(TYPES.get(r.nextInt(TYPES.size()))).append('"');
        }
        String s = sb.append('}').toString();
        return r.nextInt(10) == 0 ? s.substring(0, r.nextInt(s.length() + 1)) : s;   // sometimes truncated
    }

    private static String randomValue(Random r, int depth) {
        return switch (r.nextInt(8)) {
            case 0 -> "null";
            case 1 -> Long.toString(r.nextLong());
            case 2 -> "\"" + "bob\\u0000é\\\"".substring(0, r.nextInt(8)) + "\"";
            case 3 -> "\"fuzz-" + r.nextInt(5) + "\"";
            case 4 -> r.nextBoolean() ? "true" : "1.5e308";
            case 5 -> depth < 3 ? "[" + randomValue(r, depth + 1) + "]" : "[]";
            case 6 -> depth < 3 ? randomJson(r, depth + 1) : "{}";
            default -> "\"" + "x".repeat(r.nextInt(5000)) + "\"";
        };
    }

    private static byte[] randomBytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }
}
