package com.matchbook.realtime.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline: for state that changes on another thread with no event to wait on. */
public final class Eventually {
    private Eventually() {
    }

    public static void holds(String what, BooleanSupplier condition) {
        holds(what, condition, TestSocket.WAIT);
    }

    public static void holds(String what, BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + within + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    public static <T> T value(String what, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
        long deadline = System.nanoTime() + TestSocket.WAIT.toNanos();
        T v = supplier.get();
        while (!ok.test(v)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + TestSocket.WAIT + ": " + what + " (last " + v + ")");
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            v = supplier.get();
        }
        return v;
    }
}
