package com.matchbook.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Many users at once: each gets exactly its own message, and everything is cleaned up after. */
class ManyUsersTest {
    private static final int USERS = 300;

    @Test
    void threeHundredUsersEachReceiveTheirOwnMessage() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.limits.sends-per-second", "10000"))) {
            List<TestSocket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < USERS; i++) {
                    sockets.add(TestSocket.welcomed(server.ws("?id=user-" + i)));
                }
                assertEquals(USERS, server.app().hub().connectionCount());
                assertEquals(USERS, Http.get(server.http("/api/stats")).json().getInt("users"));
                for (int i = 0; i < USERS; i++) {
                    Http.Reply r = Http.postJson(server.http("/send-message"),
                                                 "{\"to\":\"user-" + i + "\",\"text\":\"for user " + i + "\"}");
                    assertEquals(202, r.status());
                }
                for (int i = 0; i < USERS; i++) {
                    JsonObject m = sockets.get(i).next("message");
                    assertEquals("for user " + i, m.getString("text"));
                    assertEquals(1, m.getInt("seq"));
                }
                for (TestSocket s : sockets) {
                    assertEquals(List.of(), s.drain().stream().filter(f -> f.type().equals("message")).toList(),
                                 "nobody gets anyone else's message");
                }
            } finally {
                sockets.forEach(TestSocket::close);
            }
            Eventually.holds("all unregistered", () -> server.app().hub().connectionCount() == 0
                    && server.app().hub().userCount() == 0);
            // Counted once the write returned, which may come after the client read the frame and left.
            Eventually.holds("every message counted", () -> server.app().stats().messagesOut() >= USERS);
            assertEquals(USERS, server.app().stats().messagesOut());
        }
    }
}
