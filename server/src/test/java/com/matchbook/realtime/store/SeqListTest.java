package com.matchbook.realtime.store;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SeqListTest {

    private static List<Long> all(SeqList seqs) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            out.add(seqs.get(i));
        }
        return out;
    }

    @Test
    void keepsOrderWhenItWrapsAroundAndThenGrows() {
        SeqList seqs = new SeqList();
        for (long s = 1; s <= 3; s++) {
            seqs.add(s * 10);
        }
        seqs.remove(10);
        seqs.remove(20);
        // head is now past the start of the array: these wrap, then force a growth of a wrapped array
        for (long s = 4; s <= 9; s++) {
            seqs.add(s * 10);
        }
        assertEquals(List.of(30L, 40L, 50L, 60L, 70L, 80L, 90L), all(seqs));
        assertEquals(90, seqs.last());
        assertEquals(0, seqs.countBelow(30));
        assertEquals(2, seqs.countBelow(45));
        assertEquals(7, seqs.countBelow(Long.MAX_VALUE));
    }

    @Test
    void removesFromTheMiddleAndIgnoresWhatItDoesNotHold() {
        SeqList seqs = new SeqList();
        for (long s = 1; s <= 5; s++) {
            seqs.add(s);
        }
        seqs.remove(3);
        seqs.remove(42);
        assertEquals(List.of(1L, 2L, 4L, 5L), all(seqs));
        assertThrows(IllegalArgumentException.class, () -> seqs.add(5));
    }
}
