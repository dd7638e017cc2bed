package com.matchbook.realtime.support;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A harness whose start fails leaves no process behind, and a start that succeeds leaves it running. */
class StartOrCloseTest {
    @Test
    void aFailedStartStopsTheProcessItHadStartedAndReportsTheFailure() throws Exception {
        Process[] started = new Process[1];
        AutoCloseable harness = () -> {
            started[0].destroyForcibly();
            started[0].waitFor(10, TimeUnit.SECONDS);
        };
        AssertionError notReady = new AssertionError("not ready in time");
        AssertionError thrown = assertThrows(AssertionError.class, () -> StartOrClose.run(harness, () -> {
            started[0] = new ProcessBuilder("sleep", "600").start();
            throw notReady;
        }));
        assertSame(notReady, thrown);
        assertFalse(started[0].isAlive(), "the process started before the failure was stopped");
    }

    @Test
    void aSuccessfulStartLeavesTheProcessRunning() throws Exception {
        Process[] started = new Process[1];
        try {
            StartOrClose.run(() -> started[0].destroyForcibly(), () -> started[0] = start());
            assertTrue(started[0].isAlive());
        } finally {
            started[0].destroyForcibly();
        }
    }

    @Test
    void aFailureWhileClosingIsKeptBesideTheStartFailure() {
        IOException closing = new IOException("could not stop");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> StartOrClose.run(() -> {
            throw closing;
        }, () -> {
            throw new IllegalStateException("bind failed");
        }));
        assertSame(closing, failure.getSuppressed()[0]);
    }

    private static Process start() throws IOException {
        return new ProcessBuilder("sleep", "600").start();
    }
}
