package com.matchbook.realtime;

import java.util.Map;

import com.matchbook.realtime.support.Eventually;
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

/** The socket as a client sees it: welcome, delivery to every tab, send and ack. */
class SocketTest {
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.heartbeat-interval", "PT30S"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void welcomeComesFirstWithTheContractFields() {
        try (TestSocket s = TestSocket.open(server.ws("?id=welcome-user"))) {
            JsonObject w = s.next().json();
            assertEquals("welcome", w.getString("type"));
            assertEquals("welcome-user", w.getString("id"));
            assertFalse(w.getString("connectionId").isEmpty());
            assertEquals(30_000, w.getJsonNumber("heartbeatMs").longValue());
            assertEquals(0, w.getJsonNumber("lastSeq").longValue());
            JsonObject replay = w.getJsonObject("replay");
            assertTrue(replay.getBoolean("complete"));
        }
    }

    @Test
    void welcomeTellsTheHeartbeatTimeoutSoClientsNeedNotAssumeIt() {
        try (TestSocket s = TestSocket.open(server.ws("?id=timeout-user"))) {
            JsonObject w = s.next().json();
            assertEquals("welcome", w.getString("type"));
            assertEquals(10_000, w.getJsonNumber("heartbeatTimeoutMs").longValue(), "the default PT10S");
        }
    }

    @Test
    void postedMessageReachesEveryTabOfTheRecipient() {
        try (TestSocket tab1 = TestSocket.welcomed(server.ws("?id=tabs"));
             TestSocket tab2 = TestSocket.welcomed(server.ws("?id=tabs"));
             TestSocket other = TestSocket.welcomed(server.ws("?id=not-tabs"))) {
            Http.Reply r = Http.postJson(server.http("/send-message"),
                                         "{\"to\":\"tabs\",\"from\":\"alice\",\"text\":\"hello both\"}");
            assertEquals(202, r.status());
            for (TestSocket tab : new TestSocket[] {tab1, tab2}) {
                JsonObject m = tab.next("message");
                assertEquals("hello both", m.getString("text"));
                assertEquals("alice", m.getString("from"));
                assertEquals("tabs", m.getString("to"));
                assertEquals("chat", m.getString("channel"));
                assertEquals(r.json().getString("id"), m.getString("id"));
                assertEquals(r.json().getJsonNumber("seq").longValue(), m.getJsonNumber("seq").longValue());
                assertTrue(m.getString("sentAt").endsWith("Z"), m.getString("sentAt"));
            }
            Http.postJson(server.http("/send-message"), "{\"to\":\"not-tabs\",\"text\":\"marker\"}");
            assertEquals("marker", other.next("message").getString("text"), "the other user gets only its own");
        }
    }

    @Test
    void sendFrameIsAckedAndDeliveredWithSeqRisingByOne() {
        try (TestSocket a = TestSocket.welcomed(server.ws("?id=sender-a"));
             TestSocket b = TestSocket.welcomed(server.ws("?id=receiver-b"))) {
            a.send("{\"type\":\"send\",\"ref\":\"r1\",\"to\":\"receiver-b\",\"text\":\"one\"}");
            a.send("{\"type\":\"send\",\"ref\":7,\"to\":\"receiver-b\",\"text\":\"two\",\"channel\":\"matches\"}");
            JsonObject ack1 = a.next("ack");
            JsonObject ack2 = a.next("ack");
            assertEquals("r1", ack1.getString("ref"));
            assertEquals(7, ack2.getInt("ref"), "a numeric ref comes back as a number");
            JsonObject m1 = b.next("message");
            JsonObject m2 = b.next("message");
            assertEquals("one", m1.getString("text"));
            assertEquals("sender-a", m1.getString("from"));
            assertEquals(ack1.getString("id"), m1.getString("id"));
            assertEquals("matches", m2.getString("channel"));
            assertEquals(m1.getJsonNumber("seq").longValue() + 1, m2.getJsonNumber("seq").longValue());
        }
    }

    @Test
    void dataMessagesCarryTheirJson() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=data-user"))) {
            Http.Reply r = Http.postJson(server.http("/send-message"),
                                         "{\"to\":\"data-user\",\"channel\":\"matches\",\"data\":{\"matchId\":42}}");
            assertEquals(202, r.status());
            JsonObject m = s.next("message");
            assertEquals(42, m.getJsonObject("data").getInt("matchId"));
            assertFalse(m.containsKey("text"));
        }
    }

    @Test
    void closingRemovesTheConnectionFromPresenceAndStats() {
        TestSocket s = TestSocket.welcomed(server.ws("?id=leaver"));
        assertEquals(1, Http.get(server.http("/api/users/leaver/presence")).json().getInt("connections"));
        s.close();
        Eventually.holds("leaver offline", () -> !Http.get(server.http("/api/users/leaver/presence")).json()
                .getBoolean("online"));
    }
}
