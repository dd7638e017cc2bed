package com.matchbook.realtime.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Sends waiting for their {@code ack}, matched by {@code ref}. Runs on the loop; futures are completed on the
 * callback thread, so code chained on them never runs on the loop.
 *
 * <p>Across reconnects: a send made while not connected waits here and is written, in order, when the next
 * connection opens. A send that was written but not acknowledged when its connection dropped fails with
 * {@link SendException#CONNECTION_LOST} and is NOT written again: the server may have stored it before the drop and
 * the protocol has no idempotency key, so a resend could deliver it twice. The caller decides. Every send fails with
 * {@link SendException#TIMEOUT} after the send timeout (a queued one is then never written).
 */
final class PendingSends {
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Predicate<Outbound.Frame> write;
    private final Loop loop;
    private final Callbacks callbacks;
    private final long timeoutMs;
    private final String refPrefix = "j" + Long.toString(System.currentTimeMillis(), 36) + "-";
    private long counter;

    private static final class Pending {
        final Outbound.Frame frame;
        final CompletableFuture<Ack> future;
        final Loop.Timer timer;
        boolean written;

        Pending(Outbound.Frame frame, CompletableFuture<Ack> future, Loop.Timer timer) {
            this.frame = frame;
            this.future = future;
            this.timer = timer;
        }
    }

    /**
     * @param write writes a frame if the connection is open, else answers false
     */
    PendingSends(Predicate<Outbound.Frame> write, Loop loop, Callbacks callbacks, long timeoutMs) {
        this.write = write;
        this.loop = loop;
        this.callbacks = callbacks;
        this.timeoutMs = timeoutMs;
    }

    /** Unique per client: a prefix from the start time and a counter. */
    String nextRef() {
        return refPrefix + (++counter);
    }

    void submit(String ref, Outbound.Frame frame, CompletableFuture<Ack> future) {
        Pending p = new Pending(frame, future, loop.timer());
        pending.put(ref, p);
        p.timer.start(timeoutMs, () -> fail(ref, SendException.TIMEOUT, "no ack within " + timeoutMs + " ms"));
        p.written = write.test(frame);
    }

    /** On open: writes the queued sends in the order they were made. */
    void flush() {
        for (Pending p : pending.values()) {
            if (!p.written) {
                p.written = write.test(p.frame);
                if (!p.written) {
                    return;
                }
            }
        }
    }

    /** @return false when no send waits for this ref (late, or another client's) */
    boolean acked(String ref, Ack ack) {
        Pending p = settle(ref);
        if (p == null) {
            return false;
        }
        callbacks.run("send " + ref, () -> p.future.complete(ack));
        return true;
    }

    /** @return false when no send waits for this ref, so the error is about something else */
    boolean refused(String ref, String code, String message) {
        return fail(ref, code, message);
    }

    void connectionLost() {
        for (String ref : new ArrayList<>(pending.keySet())) {
            if (pending.get(ref).written) {
                fail(ref, SendException.CONNECTION_LOST, "connection lost before the server confirmed");
            }
        }
    }

    void failAll(String why) {
        for (String ref : new ArrayList<>(pending.keySet())) {
            fail(ref, SendException.CLOSED, why);
        }
    }

    private boolean fail(String ref, String code, String message) {
        Pending p = settle(ref);
        if (p == null) {
            return false;
        }
        callbacks.run("send " + ref, () -> p.future.completeExceptionally(new SendException(code, message)));
        return true;
    }

    private Pending settle(String ref) {
        Pending p = pending.remove(ref);
        if (p != null) {
            p.timer.clear();
        }
        return p;
    }
}
