package com.matchbook.realtime;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.Json;
import com.matchbook.realtime.support.ServerProcess;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md "Idempotent sends (1.1)" across a crash: the server is SIGKILLed while sends are in flight (some
 * stored but not yet answered); the senders resend what was not answered, with the same keys, to the restarted server;
 * every message is then stored exactly once, in the recipient's stream and in the sender's.
 */
class KilledWhileSendingIT {
    private static final int SENDERS = 6;
    private static final int PER_SENDER = 400;

    @TempDir
    Path data;

    /** The per-address send rate (200/s) is not what this tests; the resends come from one address in a burst. */
    private static final Map<String, String> UNLIMITED = Map.of("matchbook.limits.sends-per-second", "1000000");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every embedded store that keeps history on disk: SQLite ({@code disk}), the journal, and the two tiered. */
    @ParameterizedTest
    @ValueSource(strings = {"disk", "journal", "tiered"})
    void everyMessageArrivesExactlyOnceAfterACrashAndResends(String store) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(UNLIMITED);
        settings.put("matchbook.store", store);
        Map<String, JsonObject> answered = new ConcurrentHashMap<>();
        AtomicInteger acks = new AtomicInteger();
        CountDownLatch enoughAcked = new CountDownLatch(1);
        ServerProcess first = new ServerProcess(data, settings).start();
        List<Thread> senders = new ArrayList<>();
        try {
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < PER_SENDER; i++) {
                        String key = key(sender, i);
                        try {
                            HttpResponse<String> r = send(first.http("/send-message"), sender, i);
                            if (r.statusCode() != 202) {
                                return;   // the server is going down
                            }
                            answered.put(key, Json.parse(r.body()));
                            if (acks.incrementAndGet() >= SENDERS * 20) {
                                enoughAcked.countDown();
                            }
                        } catch (Exception e) {
                            return;   // killed with this send in flight: it is resent below
                        }
                    }
                }));
            }
            assertTrue(enoughAcked.await(60, TimeUnit.SECONDS), "the senders got going");
            first.kill();
        } finally {
            first.close();
        }
        for (Thread t : senders) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        int answeredBeforeKill = answered.size();
        assertTrue(answeredBeforeKill < SENDERS * PER_SENDER, "the kill came while sends were still going");

        try (ServerProcess second = new ServerProcess(data, settings).start()) {
            int resent = 0;
            int repeats = 0;
            for (int s = 0; s < SENDERS; s++) {
                for (int i = 0; i < PER_SENDER; i++) {
                    String key = key(s, i);
                    if (answered.containsKey(key) && i % 50 != 0) {
                        continue;   // a client resends only what was not answered (and, here, a few that were)
                    }
                    HttpResponse<String> r = send(second.http("/send-message"), s, i);
                    assertEquals(202, r.statusCode(), r.body());
                    JsonObject answer = Json.parse(r.body());
                    JsonObject before = answered.putIfAbsent(key, answer);
                    if (before != null) {
                        assertEquals(before, answer, key + ": a repeat gets the first answer");
                        repeats++;
                    }
                    resent++;
                }
            }
            assertTrue(resent > 0 && repeats > 0, "resent " + resent + ", of which answered before " + repeats);
            for (int s = 0; s < SENDERS; s++) {
                List<JsonObject> inbox = history(second, recipient(s));
                List<JsonObject> outbox = history(second, sender(s));
                for (List<JsonObject> stream : List.of(inbox, outbox)) {
                    assertEquals(PER_SENDER, stream.size(), "every message exactly once");
                    for (int n = 0; n < stream.size(); n++) {
                        assertEquals(n + 1, stream.get(n).getInt("seq"), "no gap");
                    }
                    assertEquals(PER_SENDER, stream.stream().map(m -> m.getString("text")).distinct().count(),
                                 "no duplicate");
                }
                for (int i = 0; i < PER_SENDER; i++) {
                    JsonObject answer = answered.get(key(s, i));
                    JsonObject stored = inbox.get(answer.getInt("seq") - 1);
                    assertEquals(answer.getString("id"), stored.getString("id"));
                    assertEquals("message " + i, stored.getString("text"));
                }
            }
        }
    }

    private HttpResponse<String> send(URI uri, int sender, int i) throws Exception {
        String body = "{\"from\":\"" + sender(sender) + "\",\"to\":\"" + recipient(sender) + "\",\"text\":\"message "
                + i + "\"}";
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                                   .header("Content-Type", "application/json")
                                   .header("Idempotency-Key", key(sender, i))
                                   .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                           HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonObject> history(ServerProcess server, String user) {
        JsonArray messages = Http.get(server.http("/api/users/" + user + "/messages?limit=1000")).json()
                .getJsonArray("messages");
        return messages.stream().map(JsonValue::asJsonObject).toList();
    }

    private static String sender(int s) {
        return "crash-sender-" + s;
    }

    private static String recipient(int s) {
        return "crash-recipient-" + s;
    }

    private static String key(int sender, int i) {
        return "s" + sender + "-m" + i;
    }
}
