package com.matchbook.realtime.support;

import java.io.IOException;

/**
 * The start of a harness that owns processes (Redis, Sentinel, a server node). A start that fails closes what it
 * started before the failure goes up: a resource whose start throws inside a try-with-resources header was never
 * assigned, so the try never closes it, and its processes would outlive the test and hold their ports.
 */
final class StartOrClose {
    /** What a harness does to start: may throw like the harnesses' own {@code start()} methods. */
    @FunctionalInterface
    interface Step {
        void run() throws IOException, InterruptedException;
    }

    private StartOrClose() {
    }

    /** Runs {@code step}; if it throws, closes {@code harness} (its failure added as suppressed) and rethrows. */
    static void run(AutoCloseable harness, Step step) throws IOException, InterruptedException {
        try {
            step.run();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            try {
                harness.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
