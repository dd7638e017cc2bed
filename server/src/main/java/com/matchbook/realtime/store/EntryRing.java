package com.matchbook.realtime.store;

import java.util.Arrays;

/**
 * One user's retained stream in the memory store: the {@link EntrySlab} handles of its entries by seq, in a circular
 * array, and beside each its link in its conversation ({@link #prev}) and its {@link #tag}. A stream's seqs are contiguous (every append takes the next one) and entries leave only from the oldest end
 * (trimming by count or by age), so a seq is an offset from the first retained one: no tree node, no boxed key and no
 * object per entry for the collector to copy.
 */
final class EntryRing {
    private long[] slots = new long[8];
    private long[] prevs = new long[8];
    private int[] tags = new int[8];
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

    /** The handle of the entry with this seq, or {@link EntrySlab#NONE} when it is not retained. */
    long get(long seq) {
        long offset = seq - firstSeq;
        if (offset < 0 || offset >= size) {
            return EntrySlab.NONE;
        }
        return slots[slot(offset)];
    }

    /**
     * Replaces the retained entry with this seq (a new version of the same message).
     *
     * @return the handle it replaced
     */
    long set(long seq, long handle) {
        long offset = seq - firstSeq;
        if (offset < 0 || offset >= size) {
            throw new IllegalArgumentException("seq " + seq + " is not retained");
        }
        int i = slot(offset);
        long old = slots[i];
        slots[i] = handle;
        return old;
    }

    /**
     * The seq of the previous message of the same conversation (0 when there is none, or for an update entry); it may
     * no longer be retained. Only meaningful for a retained seq.
     */
    long prev(long seq) {
        return prevs[slot(seq - firstSeq)];
    }

    /**
     * What the stream's owner records about the entry: {@code MemoryStore} keeps the peer's index plus one, negated for
     * the user's own messages, and 0 for update entries. Only meaningful for a retained seq.
     */
    int tag(long seq) {
        return tags[slot(seq - firstSeq)];
    }

    /**
     * Appends the next entry of the stream.
     *
     * @param prev see {@link #prev}
     * @param tag  see {@link #tag}
     * @throws IllegalArgumentException when its seq does not follow the newest retained one
     */
    void add(long seq, long handle, long prev, int tag) {
        if (size == 0) {
            firstSeq = seq;
        } else if (seq != firstSeq + size) {
            throw new IllegalArgumentException("seq " + seq + " does not follow " + (firstSeq + size - 1));
        }
        if (size == slots.length) {
            int length = slots.length;
            slots = unwrapped(slots, new long[length * 2], length);
            prevs = unwrapped(prevs, new long[length * 2], length);
            tags = unwrapped(tags, new int[length * 2], length);
            head = 0;
        }
        int i = slot(size);
        slots[i] = handle;
        prevs[i] = prev;
        tags[i] = tag;
        size++;
    }

    /** Removes the oldest retained entry. @return its handle, or {@link EntrySlab#NONE} when empty */
    long removeFirst() {
        if (size == 0) {
            return EntrySlab.NONE;
        }
        long gone = slots[head];
        slots[head] = EntrySlab.NONE;
        head = (head + 1) & (slots.length - 1);
        size--;
        firstSeq++;
        if (size == 0) {
            head = 0;
            Arrays.fill(slots, EntrySlab.NONE);
        }
        return gone;
    }

    /** The handles of the retained entries, oldest first ({@link #firstSeq} is the first one's seq). */
    long[] handles() {
        long[] out = new long[size];
        int tail = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, out, 0, tail);
        System.arraycopy(slots, 0, out, tail, size - tail);
        return out;
    }

    /** Copies the circular {@code from} into the start of the bigger {@code to}, oldest first. */
    private <T> T unwrapped(T from, T to, int length) {
        int tail = length - head;
        System.arraycopy(from, head, to, 0, tail);
        System.arraycopy(from, 0, to, tail, head);
        return to;
    }

    /** The array index of the entry {@code offset} places after the oldest (the length is a power of two). */
    private int slot(long offset) {
        return (int) ((head + offset) & (slots.length - 1));
    }
}
