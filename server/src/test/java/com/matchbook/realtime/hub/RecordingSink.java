package com.matchbook.realtime.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import com.matchbook.realtime.message.OutFrame;

/** A socket that records what would have been written, and can be made to stop reading. */
final class RecordingSink implements FrameSink {
    final List<OutFrame> written = new ArrayList<>();
    volatile Integer closeCode;
    volatile boolean terminated;
    /** The thread of the latest write. */
    volatile Thread lastWriter;
    private volatile CountDownLatch stuck;
    private final Thread reader;

    /** A socket with no reader thread to watch (as an SSE stream). */
    RecordingSink() {
        this(null);
    }

    /** A socket read by {@code reader}: when that thread has ended, the keepalive counts the socket gone. */
    RecordingSink(Thread reader) {
        this.reader = reader;
    }

    /** From now on every write blocks until {@link #unblock()}: a peer that stopped reading. */
    void block() {
        stuck = new CountDownLatch(1);
    }

    void unblock() {
        CountDownLatch s = stuck;
        if (s != null) {
            s.countDown();
        }
    }

    @Override
    public void write(List<OutFrame> frames) throws InterruptedException {
        CountDownLatch s = stuck;
        if (s != null) {
            s.await();
        }
        synchronized (this) {
            written.addAll(frames);
        }
        lastWriter = Thread.currentThread();
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
    }

    /** When the peer's bytes last arrived, as a wire connection counts them (part of a frame included); 0: never. */
    volatile long lastReadNanos;

    @Override
    public boolean readSince(long nanos) {
        long read = lastReadNanos;
        return read != 0 && read - nanos >= 0;
    }

    @Override
    public Optional<Thread> reader() {
        return Optional.ofNullable(reader);
    }

    @Override
    public void terminate() {
        terminated = true;
        unblock();
    }

    synchronized List<Long> messageSeqs() {
        return written.stream().filter(OutFrame::isMessage).map(f -> f.message().seq()).toList();
    }

    synchronized List<OutFrame> frames() {
        return List.copyOf(written);
    }
}
