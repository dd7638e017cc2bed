package com.matchbook.realtime.store;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.message.Message;

/**
 * Tells the store's one listener about committed stream entries, in commit order (so in seq order per user), then
 * completes their futures. Runs on one virtual thread: the fan-out and the acks then start their writers from a virtual
 * thread, which costs a local queue push, where doing it from the platform writer thread would wake a carrier thread
 * for every message.
 */
final class Announcer implements AutoCloseable {
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

    /** Announces what was handed in so far, then stops (waits up to 5 s). */
    @Override
    public void close() {
        committed.add(NO_MORE);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
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
                for (Message entry : w.entries()) {
                    listener.stored(entry);
                }
                if (w.done() != null) {
                    w.done().complete(null);
                }
            }
        }
    }
}
