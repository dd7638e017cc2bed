package com.matchbook.realtime.ws.wire;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A bounded pool of zlib compressors or decompressors shared by the node's connections. zlib's state lives outside
 * the heap (about 256 KiB for a compressor, 40 KiB for a decompressor) and is set up and torn down by native calls,
 * so per-message users borrow one rather than make one, and an idle connection holds none. What is given back is
 * reset first, so nothing of one connection's message reaches the next borrower; past the bound it is ended.
 * Thread-safe: any connection's thread may borrow and give back.
 *
 * @param <T> the pooled object (a {@link java.util.zip.Deflater}, or an inflater with its output buffer)
 */
final class ZlibPool<T> {
    private final ArrayBlockingQueue<T> idle;
    private final Supplier<T> create;
    private final Consumer<T> reset;
    private final Consumer<T> end;

    /**
     * @param size   how many idle ones are kept at most
     * @param create makes a new one when none is idle
     * @param reset  forgets everything of its last use
     * @param end    frees its native state, for good
     */
    ZlibPool(int size, Supplier<T> create, Consumer<T> reset, Consumer<T> end) {
        this.idle = new ArrayBlockingQueue<>(size);
        this.create = create;
        this.reset = reset;
        this.end = end;
    }

    /** An idle one, or a new one when none is idle. */
    T borrow() {
        T t = idle.poll();
        return t != null ? t : create.get();
    }

    /** Resets {@code t} and keeps it for the next borrower, or ends it when the pool is full. */
    void giveBack(T t) {
        reset.accept(t);
        if (!idle.offer(t)) {
            end.accept(t);
        }
    }

    /** How many are idle now. */
    int idle() {
        return idle.size();
    }
}
