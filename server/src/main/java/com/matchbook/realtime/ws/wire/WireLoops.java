package com.matchbook.realtime.ws.wire;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The selector threads that read upgraded WebSockets when a route is set to ({@link WirePolicy#withLoops}): each new
 * connection goes to the next loop in turn and stays on it. Without them every connection is read by its own virtual
 * thread. The threads start when this is made and are daemons; {@link #close()} (the node's stop) ends them, and a
 * connection's end only takes it off its loop.
 */
public final class WireLoops implements AutoCloseable {
    private final WireLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param threads how many selector threads, at least 1 ({@code matchbook.ws.selector-threads})
     * @throws IllegalArgumentException when {@code threads} is below 1
     * @throws java.io.UncheckedIOException when the JDK cannot open a selector
     */
    public WireLoops(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("selector threads must be at least 1, not " + threads);
        }
        loops = new WireLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new WireLoop("ws-loop-" + i);
        }
    }

    /** How many selector threads there are. */
    public int threads() {
        return loops.length;
    }

    WireLoop next() {
        return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
    }

    /**
     * Whether the caller is a selector thread of any {@code WireLoops}: nothing there may wait (a store's disk, a lock
     * a writer holds), so work that may is handed to another thread.
     */
    public static boolean onSelectorThread() {
        return WireLoop.current() != null;
    }

    /** Stops the selector threads (each closes its selector); connections still on them are no longer read. */
    @Override
    public void close() {
        for (WireLoop loop : loops) {
            loop.close();
        }
    }
}
