package com.matchbook.realtime.store;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.matchbook.realtime.message.Message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryRingTest {

    private static byte[] entry(long seq) {
        return EntryCodec.encode(new Message("id" + seq, seq, "chat", "a", "b", "t" + seq, null, null, Instant.EPOCH,
                                             0));
    }

    private static void add(EntryRing ring, long seq) {
        ring.add(seq, entry(seq));
    }

    private static Message get(EntryRing ring, long seq) {
        return EntryCodec.decode(ring.get(seq), "b", seq);
    }

    @Test
    void findsEverySeqAfterWrappingAroundAndGrowing() {
        EntryRing ring = new EntryRing();
        for (long s = 1; s <= 6; s++) {
            add(ring, s);
        }
        for (int i = 0; i < 5; i++) {
            ring.removeFirst();
        }
        // 8 slots with the head at 5: these wrap, then the wrapped array grows twice
        for (long s = 7; s <= 30; s++) {
            add(ring, s);
        }
        assertEquals(6, ring.firstSeq());
        assertEquals(25, ring.size());
        for (long s = 6; s <= 30; s++) {
            assertEquals("id" + s, get(ring, s).id());
        }
        assertNull(ring.get(5));
        assertNull(ring.get(31));
        ring.set(7, EntryCodec.encode(new Message("id7", 7, "chat", "a", "b", "new", null, null, Instant.EPOCH, 0)));
        assertEquals("new", get(ring, 7).text().orElseThrow());
    }

    @Test
    void anEmptiedRingStartsAgainAtTheNextSeqAndRefusesAGap() {
        EntryRing ring = new EntryRing();
        add(ring, 1);
        assertEquals("id1", EntryCodec.decode(ring.removeFirst(), "b", 1).id());
        assertTrue(ring.isEmpty());
        assertNull(ring.removeFirst());
        add(ring, 2);
        assertEquals(2, ring.firstSeq());
        assertThrows(IllegalArgumentException.class, () -> add(ring, 4));
    }
}
