package com.matchbook.realtime.ws.wire;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Arrays that outgoing frames are encoded into for one socket write, reused across connections: after Helidon's
 * {@code writeNow} returns, the bytes are in the kernel's send buffer and the array is free again.
 *
 * <p>Why: a new array per write was half of all the bytes a broadcast allocated and the largest single share in the
 * p2p path (docs/performance.md, "Write buffers reused"); on one core that rate sets how often the collector runs.
 * Pooled like {@link MessageDeflater}'s deflaters, in a bounded JDK queue. At most {@value #POOLED} pooled arrays of
 * {@value #SIZE} bytes are ever made ({@link #SHARED}). When all of them are out (writes blocked on full TCP windows,
 * or thousands of welcomes written at once), a write gets an array of exactly its size, as before the pool, which the
 * collector takes after the write: making a pooled-size array there instead grew the heap by 16 KiB per connection
 * that opened in a crowd (the idle scenario's 2,000 welcomes: 2.4 KB more per connection). A write larger than
 * {@value #SIZE} bytes also gets an array of its own.
 */
final class WriteBuffers {
    /** Holds a whole batch of the outbox's 64 frames of 250 bytes, the size of a chat message's frame. */
    static final int SIZE = 16 * 1024;
    private static final int POOLED = 16;
    /** The one pool every connection of the process encodes into. */
    static final WriteBuffers SHARED = new WriteBuffers(POOLED);

    private final ArrayBlockingQueue<byte[]> pool;
    private final int pooled;
    private final AtomicInteger made = new AtomicInteger();

    /** @param pooled how many pooled arrays are made at most */
    WriteBuffers(int pooled) {
        this.pooled = pooled;
        this.pool = new ArrayBlockingQueue<>(pooled);
    }

    /** @return an array of at least {@code size} bytes, its contents undefined; give it back after the write */
    byte[] take(int size) {
        if (size > SIZE) {
            return new byte[size];
        }
        byte[] free = pool.poll();
        if (free != null) {
            return free;
        }
        for (int n = made.get(); n < pooled; n = made.get()) {
            if (made.compareAndSet(n, n + 1)) {
                return new byte[SIZE];
            }
        }
        return new byte[size];
    }

    /**
     * Returns an array from {@link #take} once nothing reads it any more. Only pooled-size arrays are kept; one of
     * exactly {@value #SIZE} bytes made for a write of that size may join them while the pool has room.
     */
    void give(byte[] array) {
        if (array.length == SIZE) {
            pool.offer(array);
        }
    }
}
