package com.matchbook.realtime.ws;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's frames that may wait (a store's sync or disk read), taken off its selector thread: they run one at
 * a time, in the order they were handed over, on a virtual thread started when there is work and ending when there is
 * none. A thread per connection needs none of this: it waits in its own reader.
 */
final class SerialLane implements ClientFrameHandler.Lane {
    private static final System.Logger LOG = System.getLogger(SerialLane.class.getName());

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();

    /** Queues {@code task} after those handed over before; it runs on the lane's virtual thread. */
    @Override
    public void execute(Runnable task) {
        queue.add(task);
        if (running.compareAndSet(false, true)) {
            Thread.ofVirtual().name("ws-lane").start(this::drain);
        }
    }

    /**
     * Whether a task is queued or running: a frame that comes meanwhile must queue behind it. Both are read, because
     * the drain clears {@code running} a moment before it looks at the queue again; only the selector thread adds to
     * the queue, so a queue it sees empty stays empty until it adds.
     */
    @Override
    public boolean busy() {
        return running.get() || !queue.isEmpty();
    }

    private void drain() {
        do {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // ClientFrameHandler answers a frame's failure itself; this is one that escaped it.
                    LOG.log(Level.WARNING, "event=lane-task-failed", e);
                }
            }
            running.set(false);
            // A task queued after the last poll and before running went false found the lane running: take it here.
        } while (!queue.isEmpty() && running.compareAndSet(false, true));
    }
}
