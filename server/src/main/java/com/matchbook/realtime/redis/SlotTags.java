package com.matchbook.realtime.redis;

import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * One hash tag per Redis Cluster slot, so a per-slot index ({@link RedisKeys#slotTrimDue}) can be named in the slot
 * of the user whose script writes it. Found once by hashing {@code "s0"}, {@code "s1"}, ... until all 16,384 slots
 * have one (about 170,000 CRC16s of a few bytes, milliseconds); the table is the same on every node because the
 * search is.
 */
final class SlotTags {
    static final int SLOTS = 16_384;
    private final String[] tags = new String[SLOTS];

    SlotTags() {
        int found = 0;
        for (long n = 0; found < SLOTS; n++) {
            String tag = "s" + n;
            int slot = JedisClusterCRC16.getSlot(tag);
            if (tags[slot] == null) {
                tags[slot] = tag;
                found++;
            }
        }
    }

    /** The tag whose keys share the slot of {@code user}'s keys. */
    String of(String user) {
        return tags[JedisClusterCRC16.getSlot(RedisKeys.seq(user))];
    }

    /** The tag of slot {@code slot} (0 to 16,383). */
    String ofSlot(int slot) {
        return tags[slot];
    }
}
