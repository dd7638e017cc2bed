package com.matchbook.realtime.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.matchbook.realtime.message.OutFrame;

/**
 * A connection's bounded queue of outgoing frames and its single writer. Producers (delivery, heartbeat, replies)
 * only enqueue; whoever finds the writer idle starts one drain task, which writes everything queued, in order, in
 * batches. No thread is parked per idle connection, and no producer ever waits on a socket. The one exception is a
 * WebSocket's opening: its outbox may start held, and the connection's own thread writes the welcome itself
 * ({@link #startWriting()}).
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

    /**
     * Where an outbox stands: {@code OPEN -> CLOSING | CLOSING_AFTER_QUEUED -> CLOSE_WRITTEN}, and from any of them
     * to {@code DISCARDED} (the connection is gone; nothing more is written).
     */
    enum Phase {
        /** Takes frames. */
        OPEN,
        /** Closed by the server: the close frame goes out next, what was queued is dropped. */
        CLOSING,
        /** Closed by the server: what is queued goes out first, then the close frame. */
        CLOSING_AFTER_QUEUED,
        /** The close frame was written. */
        CLOSE_WRITTEN,
        /** The peer is gone: the queue is freed and nothing more is written, not even a close frame. */
        DISCARDED;

        /** Whether the close frame is due before anything still queued. */
        boolean closesNow() {
            return this == CLOSING || this == CLOSE_WRITTEN || this == DISCARDED;
        }
    }

    private final ConcurrentLinkedQueue<OutFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.OPEN);
    private final FrameSink sink;
    private final Executor executor;
    private final Events events;
    private final int limit;
    // set once, by the first close, before its phase change: the drain that writes it never sees it unset
    private final AtomicReference<CloseFrame> closeFrame = new AtomicReference<>();
    private volatile long writeStartedNanos;
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition roomMade = roomLock.newCondition();
    private volatile boolean roomWanted;
    /** Until {@link #startWriting()}: frames are queued but no drain task is started; the opener writes them. */
    private volatile boolean held;

    Outbox(FrameSink sink, Executor executor, int limit, Events events) {
        this(sink, executor, limit, events, false);
    }

    /**
     * @param held whether the outbox starts held: {@link #offer} queues without starting a drain task until the
     *             opening thread calls {@link #startWriting()} (a close is written regardless)
     */
    Outbox(FrameSink sink, Executor executor, int limit, Events events, boolean held) {
        this.sink = sink;
        this.executor = executor;
        this.limit = limit;
        this.events = events;
        this.held = held;
    }

    /**
     * Queues a frame.
     *
     * @return false when the queue is over its limit (the caller decides what a slow consumer gets) or closed
     */
    boolean offer(OutFrame frame) {
        if (phase.get() != Phase.OPEN) {
            return false;
        }
        if (size.incrementAndGet() > limit) {
            size.decrementAndGet();
            return false;
        }
        queue.add(frame);
        if (!held) {
            schedule();
        }
        return true;
    }

    /**
     * Ends the hold and writes what is queued (a connection's welcome and first page of history) on the calling thread,
     * unless a drain is already under way; later frames go to drain tasks as usual. Why: in a reconnect storm the drain
     * tasks of thousands of new connections queue behind those connections' own threads, so the welcomes went out
     * together after most of the crowd's upgrades had been answered (the benchmark's full-size storm: 101 answers over
     * about 1 s, the welcomes 1.0-1.6 s after the median 101; docs/performance.md, "The welcome leaves with its 101").
     * Written by the connection's own thread, each welcome follows its 101 at once. Only what is queued when this
     * starts is written here. A peer that does not read blocks only its own connection's thread, and the write timeout
     * still ends it (its thread is the one interrupted).
     */
    void startWriting() {
        held = false;
        if (draining.compareAndSet(false, true)) {
            // Only what is queued now: the reader thread must go back to reading (pongs, acks, auth renewals), so
            // live traffic and the rest of a long replay arriving meanwhile go to a drain task.
            drain(size.get());
        }
    }

    /** Drops what is queued (its memory is freed now), writes a close frame, and accepts nothing more. */
    void close(int code, String reason) {
        if (phase.get() == Phase.OPEN && closeFrame.compareAndSet(null, new CloseFrame(code, reason))
                && moveTo(Phase.CLOSING)) {
            held = false;
            schedule();   // the first close wins; its code is the one written
        }
    }

    /** Like {@link #close} but lets what is already queued go out first (graceful shutdown). */
    void closeAfterQueued(int code, String reason) {
        if (phase.get() == Phase.OPEN && closeFrame.compareAndSet(null, new CloseFrame(code, reason))
                && moveTo(Phase.CLOSING_AFTER_QUEUED)) {
            held = false;
            schedule();
        }
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
                if (phase.get() != Phase.OPEN || left <= 0) {
                    return false;
                }
                roomWanted = true;
                roomMade.awaitNanos(left);
            }
            return phase.get() == Phase.OPEN;
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

    /** When the write in progress started (0 if none): a write blocked for long means a peer that stopped reading. */
    long writeStartedNanos() {
        return writeStartedNanos;
    }

    /** Empties the queue so its frames can be collected; the connection is gone. */
    void discard() {
        moveTo(Phase.DISCARDED);
        roomLock.lock();
        try {
            roomMade.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    /**
     * Every phase change; a move to a phase that writes nothing more of the queue empties it (its memory is freed now).
     *
     * @return false when the move is not allowed from where the outbox stands (the first close wins)
     */
    private boolean moveTo(Phase next) {
        while (true) {
            Phase from = phase.get();
            boolean allowed = switch (next) {
                case OPEN -> false;
                case CLOSING, CLOSING_AFTER_QUEUED -> from == Phase.OPEN;
                case CLOSE_WRITTEN -> from == Phase.CLOSING || from == Phase.CLOSING_AFTER_QUEUED;
                case DISCARDED -> from != Phase.DISCARDED;
            };
            if (!allowed) {
                return false;
            }
            if (phase.compareAndSet(from, next)) {
                if (next != Phase.CLOSING_AFTER_QUEUED) {
                    queue.clear();
                    size.set(0);
                }
                return true;
            }
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
        drain(-1);
    }

    /** @param budget frames to write before handing over to a drain task; negative: until the queue stays empty */
    private void drain(int budget) {
        events.drainStarted();
        try {
            drainQueue(budget);
        } finally {
            events.drainEnded();
        }
    }

    private void drainQueue(int budget) {
        List<OutFrame> batch = new ArrayList<>(Math.min(BATCH, Math.max(1, size.get())));
        int left = budget;
        do {
            try {
                if (phase.get().closesNow()) {
                    writeClose();
                    return;
                }
                OutFrame frame;
                while (left != 0 && (frame = queue.poll()) != null) {
                    if (left > 0) {
                        left--;
                    }
                    size.decrementAndGet();
                    batch.add(frame);
                    if (batch.size() == BATCH) {
                        writeBatch(batch);
                    }
                    if (phase.get().closesNow()) {
                        writeClose();
                        return;
                    }
                }
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                }
                // Closing after what is queued: frames queued during the last write still go first (next round).
                if (phase.get() != Phase.OPEN && queue.isEmpty()) {
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
            if (budget >= 0) {
                if (!queue.isEmpty() || phase.get() != Phase.OPEN) {
                    schedule();   // the rest is a drain task's; the same CAS, so no frame is left unscheduled
                }
                return;
            }
        } while ((!queue.isEmpty() || phase.get() != Phase.OPEN) && draining.compareAndSet(false, true));
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
        if (moveTo(Phase.CLOSE_WRITTEN)) {
            CloseFrame close = closeFrame.get();
            writeStartedNanos = System.nanoTime();
            sink.close(close.code(), close.reason());
            writeStartedNanos = 0;
        }
    }

    private record CloseFrame(int code, String reason) {
    }
}
