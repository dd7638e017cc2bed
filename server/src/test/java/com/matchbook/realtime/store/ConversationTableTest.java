package com.matchbook.realtime.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A snapshot copies a user's read markers from the table: only those above 0, each beside its peer. */
class ConversationTableTest {

    @Test
    void copiesEveryReadMarkerAboveZeroWithItsPeerAcrossGrowth() {
        ConversationTable table = new ConversationTable();
        for (int peer = 0; peer < 40; peer++) {   // grows the table from 8 slots to 128
            table.findOrAdd(peer);
        }
        assertEquals(0, table.reads(), "no conversation read yet");
        table.raiseRead(table.find(3), 30);
        table.raiseRead(table.find(17), 170);
        table.raiseRead(table.find(17), 120);   // a marker never moves down, and counts once
        table.raiseRead(table.find(25), 0);     // raising to 0 reads nothing
        for (int peer = 40; peer < 100; peer++) { // moves every slot again
            table.findOrAdd(peer);
        }
        table.raiseRead(table.find(99), 990);

        assertEquals(3, table.reads());
        int[] peers = new int[3];
        long[] seqs = new long[3];
        table.copyReads(peers, seqs);
        long[][] pairs = new long[3][];
        for (int i = 0; i < 3; i++) {
            assertEquals(table.readSeq(table.find(peers[i])), seqs[i], "each marker beside its own peer");
            pairs[i] = new long[] {peers[i], seqs[i]};
        }
        java.util.Arrays.sort(pairs, java.util.Comparator.comparingLong(p -> p[0]));
        assertArrayEquals(new long[] {3, 30, 17, 170, 99, 990},
                          new long[] {pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1], pairs[2][0], pairs[2][1]});
    }
}
