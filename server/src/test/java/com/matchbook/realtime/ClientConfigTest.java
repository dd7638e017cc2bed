package com.matchbook.realtime;

import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestTokens;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /api/client-config}: what the pages learn before connecting, without a token and without a 404. */
class ClientConfigTest {
    @Test
    void authOffSaysNoTokensAndTheConfiguredLimits() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.max-text-bytes", "1000",
                                                               "matchbook.max-binary-bytes", "5000"))) {
            Http.Reply reply = Http.get(server.http("/api/client-config"));
            assertEquals(200, reply.status());
            JsonObject config = reply.json();
            assertFalse(config.getBoolean("authRequired"));
            assertFalse(config.getBoolean("devTokens"));
            assertEquals(1000, config.getInt("maxTextBytes"));
            assertEquals(5000, config.getInt("maxBinaryBytes"));
            assertEquals(404, Http.get(server.http("/dev/token?id=alice")).status(), "and no dev token endpoint");
        }
    }

    @Test
    void authOnWithDevTokensIsPublicAndSaysSo() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.auth.secret", TestTokens.SECRET,
                                                               "matchbook.auth.dev-tokens", "true"))) {
            Http.Reply reply = Http.get(server.http("/api/client-config"));
            assertEquals(200, reply.status(), "no token needed: " + reply.body());
            JsonObject config = reply.json();
            assertTrue(config.getBoolean("authRequired"));
            assertTrue(config.getBoolean("devTokens"));
            assertEquals(65536, config.getInt("maxTextBytes"), "the default");
            assertEquals(200, Http.get(server.http("/dev/token?id=alice")).status(), "the endpoint it announces");
        }
    }

    @Test
    void authOnWithoutDevTokensSaysTheTokenMustComeFromElsewhere() {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.auth.secret", TestTokens.SECRET))) {
            JsonObject config = Http.get(server.http("/api/client-config")).json();
            assertTrue(config.getBoolean("authRequired"));
            assertFalse(config.getBoolean("devTokens"));
        }
    }
}
