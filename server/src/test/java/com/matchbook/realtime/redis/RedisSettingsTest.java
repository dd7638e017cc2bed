package com.matchbook.realtime.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import com.matchbook.realtime.Settings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code matchbook.redis.*} keys (docs/protocol.md "Configuration keys", 1.1) as an operator writes them. */
class RedisSettingsTest {
    @Test
    void oneServerByDefaultWithReplicasToAckFollowingTheTopology() {
        RedisSettings redis = Settings.of(Map.of()).redis();
        assertEquals("redis://127.0.0.1:6379", redis.uri().toString());
        assertFalse(redis.sentinel());
        assertEquals(OptionalInt.empty(), redis.replicasToAck(), "unset: 1 while a replica is online, else 0");
        assertEquals(Duration.ofSeconds(1), redis.waitTimeout());
    }

    @Test
    void sentinelsAreACommaListWithTheMasterName() {
        RedisSettings redis = Settings.of(Map.of(
                "matchbook.redis.sentinels", " 10.0.0.1:26379, 10.0.0.2:26379 ,redis-3.internal:26379",
                "matchbook.redis.master-name", "matchbook",
                "matchbook.redis.replicas-to-ack", "2",
                "matchbook.redis.wait-timeout", "PT0.25S")).redis();
        assertTrue(redis.sentinel());
        assertEquals(List.of("10.0.0.1:26379", "10.0.0.2:26379", "redis-3.internal:26379"), redis.sentinels());
        assertEquals("matchbook", redis.masterName());
        assertEquals(OptionalInt.of(2), redis.replicasToAck());
        assertEquals(Duration.ofMillis(250), redis.waitTimeout());
    }

    @Test
    void aMistakeIsRefusedAtStartWithTheKeyNamed() {
        assertRefused(Map.of("matchbook.redis.sentinels", "10.0.0.1:26379"), "matchbook.redis.master-name");
        assertRefused(Map.of("matchbook.redis.sentinels", "10.0.0.1", "matchbook.redis.master-name", "m"),
                      "matchbook.redis.sentinels");
        assertRefused(Map.of("matchbook.redis.replicas-to-ack", "-1"), "matchbook.redis.replicas-to-ack");
        assertRefused(Map.of("matchbook.redis.wait-timeout", "PT0S"), "matchbook.redis.wait-timeout");
    }

    private static void assertRefused(Map<String, String> config, String key) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.of(config));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
