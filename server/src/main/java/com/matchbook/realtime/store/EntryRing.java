package com.matchbook.realtime.store;

import java.util.Arrays;

/**
 * One user's retained stream in the memory store: entries ({@link EntryCodec} arrays) by seq in a circular array. A stream's seqs are contiguous
 * (every append takes the next one) and entries leave only from the oldest end (trimming by count or by age), so a seq
 * is an offset from the first retained one: no tree node and no boxed key per entry, which matters because the memory
 * store keeps every entry in the old generation, where each of those objects was copied once by the young collector
 * and then kept for good.
 */
final class EntryRing {
    private byte[][] slots = new byte[8][];
    private int head;
    private int size;
    private long firstSeq = 1;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The oldest retained seq; only meaningful when not empty. */
    long firstSeq() {
        return firstSeq;
    }

    /** The entry with this seq, or null when it is not retained. */
    byte[] get(long seq) {
        long offset = seq - firstSeq;
        if (offset < 0 || offset >= size) {
            return null;
        }
        return slots[(int) ((head + offset) % slots.length)];
    }

    /** Replaces the retained entry with this seq (a new version of the same message). */
    void set(long seq, byte[] entry) {
        long offset = seq - firstSeq;
        if (offset < 0 || offset >= size) {
            throw new IllegalArgumentException("seq " + seq + " is not retained");
        }
        slots[(int) ((head + offset) % slots.length)] = entry;
    }

    /**
     * Appends the next entry of the stream.
     *
     * @throws IllegalArgumentException when its seq does not follow the newest retained one
     */
    void add(long seq, byte[] entry) {
        if (size == 0) {
            firstSeq = seq;
        } else if (seq != firstSeq + size) {
            throw new IllegalArgumentException("seq " + seq + " does not follow " + (firstSeq + size - 1));
        }
        if (size == slots.length) {
            byte[][] bigger = new byte[slots.length * 2][];
            int tail = slots.length - head;
            System.arraycopy(slots, head, bigger, 0, tail);
            System.arraycopy(slots, 0, bigger, tail, head);
            slots = bigger;
            head = 0;
        }
        slots[(head + size) % slots.length] = entry;
        size++;
    }

    /** The oldest retained entry, or null when empty. */
    byte[] first() {
        return size == 0 ? null : slots[head];
    }

    /** Removes and returns the oldest retained entry, or null when empty. */
    byte[] removeFirst() {
        if (size == 0) {
            return null;
        }
        byte[] gone = slots[head];
        slots[head] = null;
        head = (head + 1) % slots.length;
        size--;
        firstSeq++;
        if (size == 0) {
            head = 0;
            Arrays.fill(slots, null);
        }
        return gone;
    }
}
