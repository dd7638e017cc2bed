package com.matchbook.realtime.conversations;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestTokens;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With auth on, the 1.1 endpoints under /api/users/{id} take the user's own token or a service token only. */
class ConversationsAuthTest {
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.auth.secret", TestTokens.SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void onlyTheUserOrAServiceMayReadOrChangeTheirConversationsBlocksAndMessages() {
        HttpRequest.Builder send = HttpRequest.newBuilder(server.http("/send-message"))
                .header("Authorization", "Bearer " + TestTokens.user("vera"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"walt\",\"text\":\"private\"}"));
        String id = Http.send(send).json().getString("id");
        List<String> paths = List.of("GET /api/users/vera/conversations",
                                     "GET /api/users/vera/conversations/walt/messages",
                                     "GET /api/users/vera/blocks",
                                     "PUT /api/users/vera/blocks/walt",
                                     "DELETE /api/users/vera/blocks/walt",
                                     "PATCH /api/users/vera/messages/" + id,
                                     "DELETE /api/users/vera/messages/" + id);
        for (String call : paths) {
            assertEquals(401, call(call, null).status(), call + " without a token");
            assertEquals(403, call(call, TestTokens.user("walt")).status(), call + " with walt's token");
        }
        assertEquals(200, call("GET /api/users/vera/conversations", TestTokens.user("vera")).status());
        assertEquals(200, call("GET /api/users/vera/conversations", TestTokens.service("backend")).status());
        assertEquals(200, call("PATCH /api/users/vera/messages/" + id, TestTokens.service("backend")).status());
        assertEquals(204, call("DELETE /api/users/vera/messages/" + id, TestTokens.user("vera")).status());
    }

    private static Http.Reply call(String call, String token) {
        String[] parts = call.split(" ", 2);
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(parts[1]));
        if (parts[0].equals("PATCH")) {
            b.header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"text\":\"edited\"}"));
        } else {
            b.method(parts[0], HttpRequest.BodyPublishers.noBody());
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Http.send(b);
    }
}
