package com.matchbook.realtime;

import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Nothing accepted is lost across disconnects: offline delivery, replay with and without since, resync. */
class DeliveryGuaranteesTest {
    private static final int KEEP = 5;
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.history.max-per-user", Integer.toString(KEEP)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long post(String to, String text) {
        Http.Reply r = Http.postJson(server.http("/send-message"), "{\"to\":\"" + to + "\",\"text\":\"" + text + "\"}");
        assertEquals(202, r.status(), r.body());
        return r.json().getJsonNumber("seq").longValue();
    }

    private static List<String> texts(TestSocket s, int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> s.next("message").getString("text")).toList();
    }

    @Test
    void messagesSentWhileOfflineArriveOnFirstConnect() {
        post("away", "one");
        post("away", "two");
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=away"))) {
            JsonObject replay = s.welcome().getJsonObject("replay");
            assertEquals(2, s.welcome().getInt("lastSeq"));
            assertEquals(1, replay.getInt("from"));
            assertEquals(2, replay.getInt("to"));
            assertTrue(replay.getBoolean("complete"));
            assertEquals(List.of("one", "two"), texts(s, 2));
        }
    }

    @Test
    void reconnectWithSinceGetsExactlyTheGapThenLiveMessages() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=gappy"))) {
            post("gappy", "m1");
            post("gappy", "m2");
            assertEquals(List.of("m1", "m2"), texts(s, 2));
        }
        post("gappy", "m3");
        post("gappy", "m4");
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=gappy&since=2"))) {
            JsonObject first = s.next("message");
            assertEquals(3, first.getInt("seq"));
            assertEquals("m4", s.next("message").getString("text"));
            post("gappy", "m5 live");
            JsonObject live = s.next("message");
            assertEquals(5, live.getInt("seq"));
            assertEquals(List.of(), s.drain().stream().filter(f -> f.type().equals("message")).toList(),
                         "no duplicate");
        }
    }

    @Test
    void withoutSinceAFreshDeviceStartsAfterWhatTheUserConfirmed() {
        try (TestSocket phone = TestSocket.welcomed(server.ws("?id=confirmer"))) {
            post("confirmer", "seen");
            assertEquals(1, phone.next("message").getInt("seq"));
            phone.send("{\"type\":\"received\",\"seq\":1}");
            phone.send("{\"type\":\"ping\"}");
            phone.next("pong");   // frames are handled in order: the confirmation is recorded
            post("confirmer", "unseen");
            assertEquals(2, phone.next("message").getInt("seq"));
        }
        try (TestSocket laptop = TestSocket.welcomed(server.ws("?id=confirmer"))) {
            JsonObject m = laptop.next("message");
            assertEquals(2, m.getInt("seq"), "confirmed messages are not replayed, unconfirmed ones are");
            assertEquals("unseen", m.getString("text"));
        }
    }

    @Test
    void replayIsIncompleteWhenHistoryNoLongerHoldsTheNextSeq() {
        for (int i = 1; i <= KEEP + 3; i++) {
            post("trimmed", "t" + i);
        }
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=trimmed&since=1"))) {
            JsonObject replay = s.welcome().getJsonObject("replay");
            assertFalse(replay.getBoolean("complete"), "seq 2 was trimmed away");
            assertEquals(4, replay.getInt("from"));
            assertEquals(KEEP + 3, replay.getInt("to"));
            assertEquals(4, s.next("message").getInt("seq"));
        }
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=trimmed&since=3"))) {
            assertTrue(s.welcome().getJsonObject("replay").getBoolean("complete"));
        }
    }

    @Test
    void aCursorFromAWipedServerReplaysEverythingThisServerHolds() {
        post("wiped", "w1");
        post("wiped", "w2");
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=wiped&since=40"))) {
            assertEquals(2, s.welcome().getInt("lastSeq"), "below the client's cursor: the client resets");
            assertEquals(1, s.welcome().getJsonObject("replay").getInt("from"));
            assertEquals(List.of("w1", "w2"), texts(s, 2), "nothing stored here is swallowed");
            post("wiped", "w3");
            assertEquals(3, s.next("message").getInt("seq"));
        }
    }

    @Test
    void historyEndpointPagesThroughRetainedMessages() {
        for (int i = 1; i <= 4; i++) {
            post("paged", "p" + i);
        }
        JsonObject page = Http.get(server.http("/api/users/paged/messages?since=1&limit=2")).json();
        assertEquals(List.of(2, 3), page.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getInt("seq")).toList());
        assertEquals("p2", page.getJsonArray("messages").getJsonObject(0).getString("text"));
        assertEquals(4, page.getInt("lastSeq"));
        assertTrue(page.getBoolean("complete"));
        JsonObject all = Http.get(server.http("/api/users/paged/messages")).json();
        assertEquals(4, all.getJsonArray("messages").size(), "since defaults to 0, limit to 100");
        assertEquals(400, Http.get(server.http("/api/users/paged/messages?since=-1")).status());
        assertEquals("invalid_field", Http.get(server.http("/api/users/paged/messages?limit=x")).json()
                .getString("error"));
        assertEquals(400, Http.get(server.http("/api/users/paged/messages?limit=0")).status());
    }

    @Test
    void historyOfATrimmedUserSaysIncomplete() {
        for (int i = 1; i <= KEEP + 1; i++) {
            post("short-memory", "s" + i);
        }
        JsonObject page = Http.get(server.http("/api/users/short-memory/messages?since=0")).json();
        assertFalse(page.getBoolean("complete"));
        assertEquals(KEEP, page.getJsonArray("messages").size());
    }
}
