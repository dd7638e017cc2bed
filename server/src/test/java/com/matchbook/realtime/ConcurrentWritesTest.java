package com.matchbook.realtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many connections written at once, with frames of many sizes: every recipient gets every message meant for it, each
 * byte for byte as sent. Written for the write buffers tried on 2026-12-04 (docs/performance.md, "Write buffers
 * reused: tried, reverted"): an array given back before its write corrupted frames there, and this test failed on it.
 * It holds any state shared on the write path to the same rule.
 */
class ConcurrentWritesTest {
    private static final int SENDERS = 6;
    private static final int RECIPIENTS = 24;
    private static final int PER_SENDER = 120;

    /** The text of sender {@code s}'s {@code n}th message: its own name, then 0-2,999 characters made from both. */
    private static String text(int s, int n) {
        int length = (s * 131 + n * 197) % 3_000;
        StringBuilder b = new StringBuilder("s" + s + "-" + n + ":");
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + (s * 7 + n * 3 + i) % 26));
        }
        return b.toString();
    }

    private static int recipientOf(int s, int n) {
        return (s * 7 + n) % RECIPIENTS;
    }

    @Test
    void everyRecipientGetsEveryMessageIntactWhileAllAreWrittenAtOnce() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.frames-per-second", "100000",
                                                               "matchbook.limits.sends-per-second", "100000"))) {
            List<TestSocket> recipients = new ArrayList<>();
            List<TestSocket> senders = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
            try {
                for (int r = 0; r < RECIPIENTS; r++) {
                    recipients.add(TestSocket.welcomed(server.ws("?id=cw-r" + r)));
                }
                for (int s = 0; s < SENDERS; s++) {
                    senders.add(TestSocket.welcomed(server.ws("?id=cw-s" + s)));
                }
                List<Future<?>> sending = new ArrayList<>();
                for (int s = 0; s < SENDERS; s++) {
                    int sender = s;
                    sending.add(pool.submit(() -> {
                        for (int n = 0; n < PER_SENDER; n++) {
                            senders.get(sender).send("{\"type\":\"send\",\"to\":\"cw-r" + recipientOf(sender, n)
                                                             + "\",\"text\":\"" + text(sender, n) + "\"}");
                        }
                    }));
                }
                for (Future<?> f : sending) {
                    f.get();
                }

                Map<Integer, Set<String>> expected = new HashMap<>();
                for (int s = 0; s < SENDERS; s++) {
                    for (int n = 0; n < PER_SENDER; n++) {
                        expected.computeIfAbsent(recipientOf(s, n), r -> new HashSet<>()).add(s + "-" + n);
                    }
                }
                for (int r = 0; r < RECIPIENTS; r++) {
                    Set<String> got = new HashSet<>();
                    for (int i = 0; i < expected.get(r).size(); i++) {
                        JsonObject m = recipients.get(r).next("message");
                        String text = m.getString("text");
                        String name = text.substring(1, text.indexOf(':'));
                        int dash = name.indexOf('-');
                        int s = Integer.parseInt(name.substring(0, dash));
                        int n = Integer.parseInt(name.substring(dash + 1));
                        assertEquals(text(s, n), text, "message " + name + " arrives as sent");
                        assertEquals("cw-r" + r, m.getString("to"));
                        got.add(name);
                    }
                    assertEquals(expected.get(r), got, "recipient " + r + " gets each of its messages once");
                }
            } finally {
                pool.shutdownNow();
                recipients.forEach(TestSocket::close);
                senders.forEach(TestSocket::close);
            }
        }
    }
}
