package com.matchbook.realtime.store;

/**
 * The seqs of one conversation's messages in one user's stream, in the memory store: ascending, appended at the newest
 * end and removed (in practice) from the oldest, in a circular {@code long} array instead of a tree of boxed longs.
 */
final class SeqList {
    private long[] seqs = new long[4];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The {@code i}-th seq, oldest first. */
    long get(int i) {
        return seqs[(head + i) % seqs.length];
    }

    long last() {
        return get(size - 1);
    }

    /** Appends a seq higher than every one held. */
    void add(long seq) {
        if (size > 0 && seq <= last()) {
            throw new IllegalArgumentException("seq " + seq + " is not above " + last());
        }
        if (size == seqs.length) {
            long[] bigger = new long[seqs.length * 2];
            int tail = seqs.length - head;
            System.arraycopy(seqs, head, bigger, 0, tail);
            System.arraycopy(seqs, 0, bigger, tail, head);
            seqs = bigger;
            head = 0;
        }
        seqs[(head + size) % seqs.length] = seq;
        size++;
    }

    /** Removes {@code seq} if held: at once when it is the oldest (the usual case), else by shifting the newer ones. */
    void remove(long seq) {
        if (size == 0) {
            return;
        }
        if (get(0) == seq) {
            head = (head + 1) % seqs.length;
            size--;
            return;
        }
        int at = countBelow(seq);
        if (at >= size || get(at) != seq) {
            return;
        }
        for (int i = at; i < size - 1; i++) {
            seqs[(head + i) % seqs.length] = get(i + 1);
        }
        size--;
    }

    /** How many held seqs are below {@code seq}: the index of the first one at or above it. */
    int countBelow(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid) < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
