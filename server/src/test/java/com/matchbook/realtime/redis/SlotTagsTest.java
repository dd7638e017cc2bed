package com.matchbook.realtime.redis;

import java.util.List;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-slot index keys of Redis Cluster must share the slot of the users whose scripts write them. */
class SlotTagsTest {
    private final SlotTags tags = new SlotTags();

    @Test
    void everySlotHasATagThatHashesToIt() {
        for (int slot = 0; slot < SlotTags.SLOTS; slot++) {
            assertEquals(slot, JedisClusterCRC16.getSlot(RedisKeys.slotTrimDue(tags.ofSlot(slot))), "slot " + slot);
            assertEquals(slot, JedisClusterCRC16.getSlot(RedisKeys.slotOwed(tags.ofSlot(slot))), "slot " + slot);
        }
    }

    @Test
    void aUsersIndexesShareTheSlotOfTheUsersKeys() {
        for (String user : List.of("alice", "bob", "a}b", "{x}", "Zo\u00eb", "user-12345")) {
            int slot = JedisClusterCRC16.getSlot(RedisKeys.seq(user));
            assertEquals(slot, JedisClusterCRC16.getSlot(RedisKeys.messages(user)), user);
            assertEquals(slot, JedisClusterCRC16.getSlot(RedisKeys.slotTrimDue(tags.of(user))), user);
            assertEquals(slot, JedisClusterCRC16.getSlot(RedisKeys.slotOwed(tags.of(user))), user);
        }
    }
}
