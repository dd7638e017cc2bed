package com.matchbook.realtime.ws.wire;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a connection read by a {@link WireLoop} hands back to its own thread (the one Helidon runs the connection on,
 * parked here otherwise): the writes that start on the loop (a close frame, an echo), which may wait for a full socket
 * and so must not run there, and the connection's end. Tasks run in the order they were posted, one at a time.
 */
final class ConnectionTasks {
    private static final Runnable FINISH = () -> { };
    private static final Runnable LINGER = () -> { };

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    /** Runs {@code task} on the connection's thread after what was posted before. */
    void post(Runnable task) {
        queue.add(task);
    }

    /** Ends {@link #serve} once what was posted before has run. */
    void finish() {
        queue.add(FINISH);
    }

    /** From here on {@link #serve} also ends once {@code over} says so, looked at every {@code checkNanos}. */
    void linger() {
        queue.add(LINGER);
    }

    /**
     * Runs posted tasks on the calling thread until {@link #finish()}, or after {@link #linger()} until {@code over}
     * holds, whichever comes first.
     *
     * @throws InterruptedException when the thread is interrupted (the connection is being stopped)
     */
    void serve(BooleanSupplier over, long checkNanos) throws InterruptedException {
        boolean lingering = false;
        while (true) {
            Runnable task = lingering ? queue.poll(checkNanos, TimeUnit.NANOSECONDS) : queue.take();
            if (task == FINISH) {
                return;
            }
            if (task == LINGER) {
                lingering = true;
            } else if (task != null) {
                task.run();
            }
            if (lingering && over.getAsBoolean()) {
                return;
            }
        }
    }
}
