package com.matchbook.realtime.store;

import java.util.Optional;

/**
 * One user's confirmed cursor ({@link MessageStore#confirm}): the highest seq the user confirmed with {@code received},
 * where a fresh device's replay starts. The rule both embedded stores keep: it only moves up, and never past what the
 * store can replay (the memory store's last seq, the disk store's last seq on disk). Not thread-safe: each store keeps
 * it in its per-user state, under that state's monitor.
 */
final class ConfirmedCursor {
    private long value;

    long value() {
        return value;
    }

    /** As read from disk at the user's first use. */
    void load(long confirmed) {
        value = confirmed;
    }

    /**
     * Raises the cursor to {@code seq}, capped at {@code ceiling}.
     *
     * @return the previous value if the cursor moved, or empty if nothing changed
     */
    Optional<Long> raise(long seq, long ceiling) {
        long target = Math.min(seq, ceiling);
        if (target <= value) {
            return Optional.empty();
        }
        long previous = value;
        value = target;
        return Optional.of(previous);
    }
}
