package com.matchbook.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.channel.EventLoop;

/**
 * How the generator's other threads reach state owned by one event loop ({@link Load}, {@link DeflateClients}): every
 * read or change runs on the loop, so the loop's sockets need no locks.
 */
final class Loops {
    private Loops() {
    }

    /** Runs {@code task} on the loop and returns its result (at most 60 s). */
    static <T> T call(EventLoop loop, Callable<T> task) {
        try {
            return loop.submit(task).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("event loop task failed", e);
        }
    }

    /** Polls a condition on the loop until it holds. @return whether it held before the timeout */
    static boolean await(EventLoop loop, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (call(loop, condition::getAsBoolean)) {
                return true;
            }
            Thread.sleep(20);
        }
        return call(loop, condition::getAsBoolean);
    }
}
