package com.matchbook.realtime.ws.wire;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays that outgoing frames are encoded into for one socket write, reused across connections: after Helidon's
 * {@code writeNow} returns, the bytes are in the kernel's send buffer and the array is free again.
 *
 * <p>Why: a new array per write was half of all the bytes a broadcast allocated and the largest single share in the
 * p2p path (docs/performance.md, "Write buffers reused"); on one core that rate sets how often the collector runs.
 * Pooled like {@link MessageDeflater}'s deflaters, in a bounded JDK queue: a write blocked on a full TCP window (a
 * peer that stopped reading) holds its array, so when the pool is empty a fresh one is made, and one given back to a
 * full pool is left to the collector. At most {@value #POOLED} arrays of {@value #SIZE} bytes are kept ({@link #SHARED}); a write larger
 * than that gets an array of its own, as before.
 */
final class WriteBuffers {
    /** Holds a whole batch of the outbox's 64 frames of 250 bytes, the size of a chat message's frame. */
    static final int SIZE = 16 * 1024;
    private static final int POOLED = 16;
    /** The one pool every connection of the process encodes into. */
    static final WriteBuffers SHARED = new WriteBuffers(POOLED);

    private final ArrayBlockingQueue<byte[]> pool;

    /** @param pooled how many arrays are kept for reuse at most */
    WriteBuffers(int pooled) {
        this.pool = new ArrayBlockingQueue<>(pooled);
    }

    /** @return an array of at least {@code size} bytes, its contents undefined; give it back after the write */
    byte[] take(int size) {
        if (size > SIZE) {
            return new byte[size];
        }
        byte[] pooled = pool.poll();
        return pooled != null ? pooled : new byte[SIZE];
    }

    /** Returns an array from {@link #take} once nothing reads it any more; arrays of other sizes are dropped. */
    void give(byte[] array) {
        if (array.length == SIZE) {
            pool.offer(array);
        }
    }
}
