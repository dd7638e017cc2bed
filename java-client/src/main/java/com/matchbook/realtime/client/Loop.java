package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client's one thread of state: socket events, public calls and timers all run here, one at a time, so the
 * connection's state needs no locks. Nothing here blocks: I/O runs on virtual threads that post their results back,
 * and user callbacks run on {@link Callbacks}.
 */
final class Loop {
    private static final System.Logger LOG = System.getLogger(Loop.class.getName());

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    Loop(String name) {
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code task} on the loop.
     *
     * @return false when the client is closed and the task was dropped
     */
    boolean execute(Runnable task) {
        try {
            executor.execute(() -> runSafely(task));
            return true;
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "event=dropped-after-close");
            return false;
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Timer timer() {
        return new Timer();
    }

    void shutdown() {
        executor.shutdown();
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // One bad event must not stop the thread every other event depends on.
            LOG.log(Level.ERROR, "event=loop-task-failed", e);
        }
    }

    /** A restartable one-shot timer whose action runs on the loop. Used from the loop only. */
    final class Timer {
        private ScheduledFuture<?> pending;
        private long epoch;

        void start(long delayMs, Runnable action) {
            clear();
            long mine = ++epoch;
            try {
                pending = executor.schedule(() -> {
                    // A cancel that raced with the firing: the newer start or clear wins.
                    if (mine == epoch) {
                        pending = null;
                        runSafely(action);
                    }
                }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                pending = null;
            }
        }

        void clear() {
            epoch++;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }

        boolean pending() {
            return pending != null;
        }
    }
}
