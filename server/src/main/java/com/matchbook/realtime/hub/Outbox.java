package com.matchbook.realtime.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.matchbook.realtime.message.OutFrame;

/**
 * A connection's bounded queue of outgoing frames and its single writer. Producers (delivery, heartbeat, replies)
 * only enqueue; whoever finds the writer idle starts one drain task, which writes everything queued, in order, in
 * batches. No thread is parked per idle connection, and no producer ever waits on a socket.
 */
final class Outbox {
    /** Frames written per sink call: enough to coalesce bursts, small enough to keep a batch's memory bounded. */
    private static final int BATCH = 64;

    interface Events {
        /** A write failed or the sink refused: the connection is gone. */
        void writeFailed(Throwable error);

        /** Frames were written (for counters and latency). */
        void written(List<OutFrame> frames);

        /** A drain task started: one writer is busy. */
        void drainStarted();

        /** That drain task ended. */
        void drainEnded();
    }

    private final ConcurrentLinkedQueue<OutFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final FrameSink sink;
    private final Executor executor;
    private final Events events;
    private final int limit;
    private volatile boolean closed;
    private volatile int closeCode;
    private volatile String closeReason;
    private volatile boolean keepQueued;
    private volatile boolean discarded;
    private boolean closeWritten;
    private volatile long writeStartedNanos;
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition roomMade = roomLock.newCondition();
    private volatile boolean roomWanted;

    Outbox(FrameSink sink, Executor executor, int limit, Events events) {
        this.sink = sink;
        this.executor = executor;
        this.limit = limit;
        this.events = events;
    }

    /**
     * Queues a frame.
     *
     * @return false when the queue is over its limit (the caller decides what a slow consumer gets) or closed
     */
    boolean offer(OutFrame frame) {
        if (closed) {
            return false;
        }
        if (size.incrementAndGet() > limit) {
            size.decrementAndGet();
            return false;
        }
        queue.add(frame);
        schedule();
        return true;
    }

    /** Drops what is queued (its memory is freed now), writes a close frame, and accepts nothing more. */
    void close(int code, String reason) {
        if (closed) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        closed = true;
        queue.clear();
        size.set(0);
        schedule();
    }

    /** Like {@link #close} but lets what is already queued go out first (graceful shutdown). */
    void closeAfterQueued(int code, String reason) {
        if (closed) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        keepQueued = true;
        closed = true;
        schedule();
    }

    /**
     * Waits until {@code n} more frames fit under the limit: lets a long replay follow the peer's pace.
     *
     * @return false if the outbox closed, or made no room before the timeout (a peer that stopped reading)
     */
    boolean awaitRoom(int n, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        roomLock.lock();
        try {
            while (size.get() + n > limit) {
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return false;
                }
                roomWanted = true;
                roomMade.awaitNanos(left);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            roomLock.unlock();
        }
    }

    int limitValue() {
        return limit;
    }

    int size() {
        return size.get();
    }

    boolean isClosed() {
        return closed;
    }

    /** When the write in progress started (0 if none): a write blocked for long means a peer that stopped reading. */
    long writeStartedNanos() {
        return writeStartedNanos;
    }

    /** Empties the queue so its frames can be collected; the connection is gone. */
    void discard() {
        discarded = true;
        closed = true;
        queue.clear();
        size.set(0);
        roomLock.lock();
        try {
            roomMade.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) {
                draining.set(false);
                events.writeFailed(e);
            }
        }
    }

    private void drain() {
        events.drainStarted();
        try {
            drainQueue();
        } finally {
            events.drainEnded();
        }
    }

    private void drainQueue() {
        List<OutFrame> batch = new ArrayList<>(Math.min(BATCH, Math.max(1, size.get())));
        do {
            try {
                if (closed && !keepQueued) {
                    writeClose();
                    return;
                }
                OutFrame frame;
                while ((frame = queue.poll()) != null) {
                    size.decrementAndGet();
                    batch.add(frame);
                    if (batch.size() == BATCH) {
                        writeBatch(batch);
                    }
                    if (closed && !keepQueued) {
                        writeClose();
                        return;
                    }
                }
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                }
                if (closed) {
                    writeClose();
                    return;
                }
            } catch (Throwable e) {
                writeStartedNanos = 0;
                discard();
                events.writeFailed(e);
                return;
            }
            draining.set(false);
        } while ((!queue.isEmpty() || closed) && draining.compareAndSet(false, true));
    }

    private void writeBatch(List<OutFrame> batch) throws Exception {
        writeStartedNanos = System.nanoTime();
        sink.write(batch);
        writeStartedNanos = 0;
        events.written(batch);
        batch.clear();
        if (roomWanted) {
            roomLock.lock();
            try {
                roomWanted = false;
                roomMade.signalAll();
            } finally {
                roomLock.unlock();
            }
        }
    }

    private void writeClose() throws Exception {
        queue.clear();
        size.set(0);
        if (!closeWritten && !discarded) {
            closeWritten = true;
            writeStartedNanos = System.nanoTime();
            sink.close(closeCode, closeReason);
            writeStartedNanos = 0;
        }
    }
}
