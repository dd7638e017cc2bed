package com.matchbook.realtime.store;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Where the memory store keeps its entries' bytes ({@link EntryCodec} arrays): outside the Java heap, appended to
 * direct buffers of {@value #SEGMENT_BYTES} bytes (an entry bigger than that, a large attachment, gets a segment of its own).
 * An entry is named by a {@code long} handle: its segment's index plus one in the high 32 bits, its offset in the low.
 *
 * <p>Why off the heap: the store keeps every entry, and a kept array on the heap is copied by the young collector at
 * each collection until it is old enough to be promoted (up to four times with ZGC here), with the collector's thread
 * sharing the server's core. In the benchmark's p2p scenario (one core, ZGC) those copies made each young collection
 * take 0.4-0.5 s, during which the core served the sockets only part of the time, and that, not CPU, was what failed
 * the 20,000 msg/s step. Here the collector sees one small object per megabyte instead of one array per entry.
 *
 * <p>A segment is released (left to the collector, which frees a direct buffer's memory when it is unreachable) once
 * every entry in it was dropped and
 * it is no longer the one being filled. A dropped entry's bytes are zeroed first, so a deleted or edited message's
 * old text does not stay readable in memory (docs/protocol.md "Edit and delete (1.1)"). Thread-safe: one lock, held
 * for a copy of at most one entry.
 */
final class EntrySlab {
    static final int SEGMENT_BYTES = 1 << 20;
    /** No entry has this handle. */
    static final long NONE = 0;

    private static final byte[] ZEROS = new byte[4096];

    private ByteBuffer[] segments = new ByteBuffer[8];
    private int[] live = new int[8];
    private int[] free = new int[8];
    private int freeCount;
    private int segmentCount;
    private int current = -1;
    private int used;
    private boolean deferring;
    private long[] deferred = new long[16];
    private int deferredCount;

    /** Copies {@code entry} in. @return its handle, never {@link #NONE} */
    synchronized long put(byte[] entry) {
        int need = Integer.BYTES + entry.length;
        int index;
        int offset;
        if (need > SEGMENT_BYTES) {
            index = newSegment(need);
            offset = 0;
        } else {
            if (current < 0 || used + need > SEGMENT_BYTES) {
                int previous = current;
                current = newSegment(SEGMENT_BYTES);
                used = 0;
                releaseIfEmpty(previous);
            }
            index = current;
            offset = used;
            used += need;
        }
        ByteBuffer s = segments[index];
        s.putInt(offset, entry.length);
        s.put(offset + Integer.BYTES, entry, 0, entry.length);
        live[index]++;
        return ((long) (index + 1) << 32) | offset;
    }

    /** A copy of the entry's bytes. @throws IllegalArgumentException for a handle that is not live */
    synchronized byte[] get(long handle) {
        ByteBuffer s = segment(handle);
        int offset = (int) handle;
        byte[] out = new byte[s.getInt(offset)];
        s.get(offset + Integer.BYTES, out, 0, out.length);
        return out;
    }

    /**
     * A view of the entry's bytes, without copying them (a snapshot writes millions of entries), for reading only:
     * valid while the entry is live or its drop deferred ({@link #deferDrops}). @throws IllegalArgumentException for a
     * handle that is not live
     */
    synchronized ByteBuffer view(long handle) {
        ByteBuffer s = segment(handle);
        int offset = (int) handle;
        return s.slice(offset + Integer.BYTES, s.getInt(offset));
    }

    /**
     * Zeroes the entry and forgets it; its segment goes once all of its entries have. While drops are deferred
     * ({@link #deferDrops}) the entry stays readable until {@link #releaseDeferred}.
     */
    synchronized void drop(long handle) {
        if (deferring) {
            if (deferredCount == deferred.length) {
                deferred = Arrays.copyOf(deferred, deferred.length * 2);
            }
            deferred[deferredCount++] = handle;
            return;
        }
        ByteBuffer s = segment(handle);
        int offset = (int) handle;
        int end = offset + Integer.BYTES + s.getInt(offset);
        for (int at = offset; at < end; at += ZEROS.length) {
            s.put(at, ZEROS, 0, Math.min(ZEROS.length, end - at));
        }
        int index = index(handle);
        live[index]--;
        releaseIfEmpty(index);
    }

    /**
     * Keeps every entry dropped from now on readable by its handle until {@link #releaseDeferred}: a snapshot being
     * written reads entries by the handles it took, after the streams may have dropped them (trimmed, edited, deleted).
     */
    synchronized void deferDrops() {
        deferring = true;
    }

    /** Drops (zeroes and forgets) what was dropped since {@link #deferDrops}, and drops at once again from now on. */
    synchronized void releaseDeferred() {
        deferring = false;
        for (int i = 0; i < deferredCount; i++) {
            drop(deferred[i]);
        }
        deferredCount = 0;
        deferred = new long[16];
    }

    /** Segments held now (for tests and the memory figures). */
    synchronized int segments() {
        return segmentCount - freeCount;
    }

    private void releaseIfEmpty(int index) {
        if (index >= 0 && index != current && live[index] == 0 && segments[index] != null) {
            segments[index] = null;
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = index;
        }
    }

    private int newSegment(int bytes) {
        int index;
        if (freeCount > 0) {
            index = free[--freeCount];
        } else {
            if (segmentCount == segments.length) {
                segments = Arrays.copyOf(segments, segments.length * 2);
                live = Arrays.copyOf(live, live.length * 2);
            }
            index = segmentCount++;
        }
        segments[index] = ByteBuffer.allocateDirect(bytes);
        live[index] = 0;
        return index;
    }

    private ByteBuffer segment(long handle) {
        int index = index(handle);
        ByteBuffer s = index >= 0 && index < segmentCount ? segments[index] : null;
        if (s == null) {
            throw new IllegalArgumentException("no live entry " + Long.toHexString(handle));
        }
        return s;
    }

    private static int index(long handle) {
        return (int) (handle >>> 32) - 1;
    }
}
