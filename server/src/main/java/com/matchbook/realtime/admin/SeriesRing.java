package com.matchbook.realtime.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} samples of this node (15 minutes at one per second) in a fixed array: the oldest is
 * overwritten, so memory never grows. One writer (the sampler), many readers; guarded by its own monitor.
 */
public final class SeriesRing {
    /** 15 minutes at 1 s resolution. */
    public static final int CAPACITY = 900;

    private final Sample[] slots = new Sample[CAPACITY];
    private int next;
    private int size;

    public synchronized void add(Sample s) {
        slots[next] = s;
        next = (next + 1) % CAPACITY;
        size = Math.min(CAPACITY, size + 1);
    }

    /** Samples closing after {@code afterSecond} (0: all), oldest first. */
    public synchronized List<Sample> after(long afterSecond) {
        List<Sample> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            Sample s = slots[(next - size + i + CAPACITY) % CAPACITY];
            if (s.second() > afterSecond) {
                out.add(s);
            }
        }
        return out;
    }

    public synchronized int size() {
        return size;
    }
}
