package com.matchbook.realtime.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdIndexTest {

    /** Ids whose String hashes collide ("Aa" and "BB" hash alike), so probes run long and removals shift. */
    private static String colliding(int i) {
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < 16; bit++) {
            b.append((i >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return b.toString();
    }

    @Test
    void agreesWithAMapThroughRandomAddsAndOldestFirstRemovalsEvenWhenEveryHashCollides() {
        for (boolean collide : new boolean[] {false, true}) {
            IdIndex index = new IdIndex();
            Map<Long, String> idOfSeq = new HashMap<>();
            Map<String, Long> model = new HashMap<>();
            IdIndex.Ids ids = (seq, id) -> id.equals(idOfSeq.get(seq));
            Random random = new Random(7);
            long next = 1;
            long oldest = 1;
            for (int round = 0; round < 20_000; round++) {
                if (random.nextInt(3) > 0 || oldest == next) {
                    String id = collide ? colliding((int) next) : "m" + random.nextLong();
                    index.put(id, next);
                    idOfSeq.put(next, id);
                    model.put(id, next);
                    next++;
                } else {
                    String id = idOfSeq.remove(oldest);
                    index.remove(id, oldest);
                    model.remove(id);
                    oldest++;
                }
                if (round % 97 == 0) {
                    assertEquals(model.size(), index.size());
                    for (Map.Entry<String, Long> e : model.entrySet()) {
                        assertEquals(e.getValue(), index.get(e.getKey(), ids), e.getKey());
                    }
                    assertEquals(0, index.get("never", ids));
                }
            }
        }
    }

    @Test
    void removingAnAbsentEntryChangesNothingAndASeqBelowOneIsRefused() {
        IdIndex index = new IdIndex();
        index.put("a", 1);
        index.remove("b", 2);
        index.remove("a", 9);
        assertEquals(1, index.size());
        assertEquals(1, index.get("a", (seq, id) -> seq == 1 && id.equals("a")));
        assertThrows(IllegalArgumentException.class, () -> index.put("z", 0));
    }
}
