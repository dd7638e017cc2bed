package com.matchbook.realtime.store;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.message.Message;

/**
 * Tells the store's one listener about committed stream entries, in commit order (so in seq order per user), then
 * completes their futures. Runs on one virtual thread: the fan-out and the acks then start their writers from a virtual
 * thread, which costs a local queue push, where doing it from the platform writer thread would wake a carrier thread
 * for every message.
 */
final class Announcer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());
    private static final List<Write> NO_MORE = List.of();

    private final MessageStore.StoredListener listener;
    private final LinkedBlockingQueue<List<Write>> committed = new LinkedBlockingQueue<>();
    private final Thread thread;

    Announcer(MessageStore.StoredListener listener) {
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("matchbook-store-announcer").start(this::loop);
    }

    /** A batch is on disk: announce its entries, then complete its futures. */
    void committed(List<Write> batch) {
        committed.add(batch);
    }

    /** Announces what was handed in so far, then stops (waits up to {@link Timings#ANNOUNCER_STOP_WAIT}). */
    @Override
    public void close() {
        committed.add(NO_MORE);
        try {
            thread.join(Timings.ANNOUNCER_STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (true) {
            List<Write> batch;
            try {
                batch = committed.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == NO_MORE) {
                return;
            }
            for (Write w : batch) {
                announce(w);
            }
        }
    }

    /**
     * One item: its entries to the listener, then its ack. The entries are on disk whatever the listener does, so a
     * listener that throws costs only that live delivery (the recipient gets the entry on its next replay), never the
     * ack of this or any later item, nor this thread.
     */
    private void announce(Write w) {
        try {
            for (Message entry : w.entries()) {
                try {
                    listener.stored(entry);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "event=announce-failed user=" + entry.user() + " seq=" + entry.seq(), e);
                }
            }
        } finally {
            if (w.done() != null) {
                w.done().complete(null);
            }
        }
    }
}
