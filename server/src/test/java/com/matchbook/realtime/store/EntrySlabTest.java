package com.matchbook.realtime.store;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EntrySlabTest {

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void everyEntryComesBackWholeAcrossSegmentsAndSegmentsAreReleasedOnceTheirEntriesAreDropped() {
        EntrySlab slab = new EntrySlab();
        Random random = new Random(3);
        Deque<Long> handles = new ArrayDeque<>();
        Deque<byte[]> contents = new ArrayDeque<>();
        // ~5 MB of entries from 0 bytes to 3 KB, the oldest dropped as a stream trimmed by count would
        for (int i = 0; i < 4_000; i++) {
            byte[] b = bytes(random, random.nextInt(3_000));
            long h = slab.put(b);
            assertNotEquals(EntrySlab.NONE, h);
            handles.addLast(h);
            contents.addLast(b);
            if (handles.size() > 500) {
                slab.drop(handles.removeFirst());
                contents.removeFirst();
            }
        }
        List<Long> hs = new ArrayList<>(handles);
        List<byte[]> cs = new ArrayList<>(contents);
        for (int i = 0; i < hs.size(); i++) {
            assertArrayEquals(cs.get(i), slab.get(hs.get(i)));
        }
        // 500 entries of ~1.5 KB each fit in one or two 1 MiB segments: the older ones were released
        assertEquals(true, slab.segments() <= 2, "segments held: " + slab.segments());
        hs.forEach(slab::drop);
        assertEquals(1, slab.segments(), "only the segment being filled stays");
    }

    @Test
    void anEntryBiggerThanASegmentGetsItsOwnAndADroppedHandleIsRefused() {
        EntrySlab slab = new EntrySlab();
        byte[] big = bytes(new Random(5), EntrySlab.SEGMENT_BYTES + 10);
        long small = slab.put(new byte[] {1, 2, 3});
        long h = slab.put(big);
        assertArrayEquals(big, slab.get(h));
        assertArrayEquals(new byte[] {1, 2, 3}, slab.get(small));
        assertEquals(2, slab.segments());
        slab.drop(h);
        assertEquals(1, slab.segments());
        assertThrows(IllegalArgumentException.class, () -> slab.get(h));
    }

    @Test
    void aDroppedEntrysBytesAreZeroedWhileItsSegmentLives() throws Exception {
        EntrySlab slab = new EntrySlab();
        long keep = slab.put("kept".getBytes());
        long gone = slab.put("secret text".getBytes());
        slab.drop(gone);
        java.lang.reflect.Field f = EntrySlab.class.getDeclaredField("segments");
        f.setAccessible(true);
        ByteBuffer segment = ((ByteBuffer[]) f.get(slab))[0];
        byte[] raw = new byte[64];
        segment.get(0, raw);
        String all = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(-1, all.indexOf("secret"), Arrays.toString(raw));
        assertArrayEquals("kept".getBytes(), slab.get(keep));
    }
}
