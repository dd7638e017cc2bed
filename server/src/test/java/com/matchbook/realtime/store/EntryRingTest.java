package com.matchbook.realtime.store;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.matchbook.realtime.message.Message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryRingTest {

    private static Message entry(long seq) {
        return new Message("id" + seq, seq, "chat", "a", "b", "t" + seq, null, null, Instant.EPOCH, 0);
    }

    @Test
    void findsEverySeqAfterWrappingAroundAndGrowing() {
        EntryRing ring = new EntryRing();
        for (long s = 1; s <= 6; s++) {
            ring.add(entry(s));
        }
        for (int i = 0; i < 5; i++) {
            ring.removeFirst();
        }
        // 8 slots with the head at 5: these wrap, then the wrapped array grows twice
        for (long s = 7; s <= 30; s++) {
            ring.add(entry(s));
        }
        assertEquals(6, ring.firstSeq());
        assertEquals(25, ring.size());
        for (long s = 6; s <= 30; s++) {
            assertEquals("id" + s, ring.get(s).id());
        }
        assertNull(ring.get(5));
        assertNull(ring.get(31));
        ring.set(7, entry(7));
        assertEquals("t7", ring.get(7).text().orElseThrow());
    }

    @Test
    void anEmptiedRingStartsAgainAtTheNextSeqAndRefusesAGap() {
        EntryRing ring = new EntryRing();
        ring.add(entry(1));
        assertEquals(1, ring.removeFirst().seq());
        assertTrue(ring.isEmpty());
        assertNull(ring.removeFirst());
        ring.add(entry(2));
        assertEquals(2, ring.firstSeq());
        assertThrows(IllegalArgumentException.class, () -> ring.add(entry(4)));
    }
}
