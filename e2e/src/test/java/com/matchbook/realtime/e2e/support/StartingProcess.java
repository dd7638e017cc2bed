package com.matchbook.realtime.e2e.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Polling a child process until it is ready: the pause between polls is a wait for its exit. */
final class StartingProcess {
    private StartingProcess() {
    }

    /**
     * Returns after {@code pause} while the process runs; throws at once, with {@code died} as the message, when it
     * exits: a process that cannot start fails the test now, not at the deadline.
     */
    static void pauseWhileAlive(Process process, Duration pause, Supplier<String> died) {
        try {
            process.onExit().get(pause.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException(died.get());
        } catch (TimeoutException stillRunning) {
            // poll again
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for process " + process.pid(), e);
        }
    }
}
