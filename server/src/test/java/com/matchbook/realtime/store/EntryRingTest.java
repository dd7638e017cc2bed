package com.matchbook.realtime.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryRingTest {

    /** A made-up handle per seq: the ring only stores and returns them. */
    private static long handle(long seq) {
        return 1000 + seq;
    }

    @Test
    void findsEverySeqAfterWrappingAroundAndGrowing() {
        EntryRing ring = new EntryRing();
        for (long s = 1; s <= 6; s++) {
            ring.add(s, handle(s), s - 1, (int) s);
        }
        for (int i = 0; i < 5; i++) {
            ring.removeFirst();
        }
        // 8 slots with the head at 5: these wrap, then the wrapped array grows twice
        for (long s = 7; s <= 30; s++) {
            ring.add(s, handle(s), s - 1, (int) s);
        }
        assertEquals(6, ring.firstSeq());
        assertEquals(25, ring.size());
        for (long s = 6; s <= 30; s++) {
            assertEquals(handle(s), ring.get(s));
        }
        assertEquals(EntrySlab.NONE, ring.get(5));
        assertEquals(EntrySlab.NONE, ring.get(31));
        assertEquals(handle(7), ring.set(7, 77));
        assertEquals(77, ring.get(7));
        for (long s = 6; s <= 30; s++) {
            assertEquals(s - 1, ring.prev(s), "the link beside each entry moves with it");
            assertEquals((int) s, ring.tag(s));
        }
    }

    @Test
    void handlesAreOldestFirstWhetherOrNotTheRingWraps() {
        EntryRing ring = new EntryRing();
        assertEquals(0, ring.handles().length);
        for (long s = 1; s <= 8; s++) {
            ring.add(s, handle(s), 0, 0);
        }
        assertArrayEquals(new long[] {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008}, ring.handles());
        for (int i = 0; i < 5; i++) {
            ring.removeFirst();
        }
        ring.add(9, handle(9), 0, 0);
        ring.add(10, handle(10), 0, 0);   // the head is at 5 of 8 slots: seqs 9 and 10 sit in slots 0 and 1
        assertArrayEquals(new long[] {1006, 1007, 1008, 1009, 1010}, ring.handles());
        ring.set(7, 77);
        assertArrayEquals(new long[] {1006, 77, 1008, 1009, 1010}, ring.handles(), "a copy of the ring as it is now");
    }

    @Test
    void anEmptiedRingStartsAgainAtTheNextSeqAndRefusesAGap() {
        EntryRing ring = new EntryRing();
        ring.add(1, handle(1), 1 - 1, (int) 1);
        assertEquals(handle(1), ring.removeFirst());
        assertTrue(ring.isEmpty());
        assertEquals(EntrySlab.NONE, ring.removeFirst());
        ring.add(2, handle(2), 2 - 1, (int) 2);
        assertEquals(2, ring.firstSeq());
        assertThrows(IllegalArgumentException.class, () -> ring.add(4, handle(4), 4 - 1, (int) 4));
        assertThrows(IllegalArgumentException.class, () -> ring.set(3, 1));
    }
}
