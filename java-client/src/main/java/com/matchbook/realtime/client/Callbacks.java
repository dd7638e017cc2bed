package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs user code (listeners, handlers, dependent stages of send futures) on its own thread, in the order events
 * happened. A slow listener only delays later listeners, never the connection's timers or its reading; one that
 * throws is logged and the next event is delivered as usual.
 */
final class Callbacks {
    private static final System.Logger LOG = System.getLogger(Callbacks.class.getName());

    private final ExecutorService executor;

    Callbacks(String name) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param what named in the log when the callback throws
     */
    void run(String what, Runnable callback) {
        try {
            executor.execute(() -> {
                try {
                    callback.run();
                } catch (RuntimeException | AssertionError e) {
                    LOG.log(Level.WARNING, "event=listener-failed listener=" + what, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "event=callback-after-close listener=" + what);
        }
    }

    /** Lets what is queued finish (a close's last state change, failed sends), then ends the thread. */
    void shutdown() {
        executor.shutdown();
    }
}
