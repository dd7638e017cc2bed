package com.matchbook.realtime.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Frames waiting for their {@code ack} ({@code send}, {@code edit}, {@code delete}), matched by {@code ref}. Runs on
 * the loop; futures are completed on the callback thread, so code chained on them never runs on the loop.
 *
 * <p>Across reconnects (docs/protocol.md 1.1, "Idempotent sends"): every send carries a {@code key} of its own. A frame
 * made while not connected waits here and is written, in order, when the next connection opens; one that was written
 * but not answered when its connection dropped is written again, unchanged (same {@code ref}, same {@code key}), on
 * the next connection. The server stores a key once and answers a repeat with the first {@code ack}, so the message
 * exists once however often the connection drops. Frames wait for a connection as long as the client is open; once
 * written, one that gets no answer within the send timeout fails with {@link SendException#TIMEOUT} and is not
 * written again. Closing the client fails what is left with {@link SendException#CLOSED}.
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

    /**
     * A new idempotency key: a random UUID, 36 characters of {@code 0-9 a-f -}, inside the contract's 1 to 64 of
     * {@code A-Z a-z 0-9 . _ : -}. Random rather than counted, so two devices or two runs of the app never share one.
     */
    static String newKey() {
        return UUID.randomUUID().toString();
    }

    void submit(String ref, Outbound.Frame frame, CompletableFuture<Ack> future) {
        Pending p = new Pending(frame, future, loop.timer());
        pending.put(ref, p);
        write(ref, p);
    }

    /** On open: writes what waits (queued, or written on a connection that dropped) in the order it was made. */
    void flush() {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (!e.getValue().written && !write(e.getKey(), e.getValue())) {
                return;
            }
        }
    }

    /** Frames waiting for an answer, written or not. */
    int size() {
        return pending.size();
    }

    private boolean write(String ref, Pending p) {
        p.written = write.test(p.frame);
        if (p.written) {
            p.timer.start(timeoutMs, () -> fail(ref, SendException.TIMEOUT, "no answer within " + timeoutMs + " ms"));
        }
        return p.written;
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

    /** The connection dropped: what it carried unanswered is written again on the next one, with the same key. */
    void connectionLost() {
        for (Pending p : pending.values()) {
            p.written = false;
            p.timer.clear();
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
