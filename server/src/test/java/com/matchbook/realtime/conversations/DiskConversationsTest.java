package com.matchbook.realtime.conversations;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiskConversationsTest extends ConversationsContract {
    @TempDir
    Path dataDir;

    @Override
    Map<String, String> storeSettings() {
        return Map.of("matchbook.store", "disk", "matchbook.data-dir", dataDir.toString());
    }

    @Test
    void keysConversationsEditsAndBlocksSurviveARestart() {
        start(Map.of());
        JsonObject first = send("sam", "tia", "keyed", "restart-key");
        send("tia", "sam", "reply", null);
        String edited = send("sam", "tia", "tpyo", null).getString("id");
        assertEquals(200, Http.send(java.net.http.HttpRequest.newBuilder(server.http("/api/users/sam/messages/"
                                                                                        + edited))
                                            .header("Content-Type", "application/json")
                                            .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(
                                                    "{\"text\":\"typo\"}"))).status());
        assertEquals(204, Http.send(java.net.http.HttpRequest.newBuilder(server.http("/api/users/tia/blocks/uwe"))
                                            .PUT(java.net.http.HttpRequest.BodyPublishers.noBody())).status());
        server.close();
        server = RunningServer.start(new java.util.HashMap<>(storeSettings()));

        assertEquals(first, send("sam", "tia", "keyed", "restart-key"), "the key is remembered on disk");
        JsonObject samSide = Http.get(server.http("/api/users/sam/conversations/tia/messages")).json();
        assertEquals(List.of("keyed", "reply", "typo"), texts(samSide.getJsonArray("messages")));
        assertTrue(samSide.getJsonArray("messages").getJsonObject(2).getBoolean("edited"));
        JsonObject tia = Http.get(server.http("/api/users/tia/conversations")).json().getJsonArray("conversations")
                .getJsonObject(0);
        assertEquals(2, tia.getInt("unread"));
        assertEquals(403, post("uwe", "tia", "hello?", null).status(), "the block survived");
    }
}
