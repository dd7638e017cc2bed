package com.matchbook.realtime.store;

/**
 * One stream's message ids to their seqs, for the memory store: an open-addressing table (linear probing) of the ids'
 * hashes and seqs in two primitive arrays. It holds no id: a probe whose hash matches asks the stream whether the
 * entry at that seq has the id ({@link Ids}). A {@code HashMap<String, Long>} here cost two objects per entry (its
 * node and the boxed seq) that the collector had to move and then keep remembering; these arrays cost none.
 *
 * <p>Removal shifts later entries of the same probe run back (no tombstones), so lookups never slow down as the
 * stream's oldest entries leave. Not thread-safe: the stream's monitor guards it.
 */
final class IdIndex {
    /** Answers whether the entry with {@code seq} is the message {@code id}. */
    interface Ids {
        boolean idAt(long seq, String id);
    }

    private static final int FIRST_CAPACITY = 16;

    private int[] hashes = new int[FIRST_CAPACITY];
    /** 0 marks a free slot: seqs start at 1. */
    private long[] seqs = new long[FIRST_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** @return the seq of message {@code id}, or 0 when the index has none */
    long get(String id, Ids ids) {
        int h = id.hashCode();
        int mask = seqs.length - 1;
        for (int i = slot(h, mask); seqs[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] == h && ids.idAt(seqs[i], id)) {
                return seqs[i];
            }
        }
        return 0;
    }

    /** Adds message {@code id} at {@code seq} (a seq of 1 or more; an id is added once). */
    void put(String id, long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("seq " + seq + " is not a stream seq");
        }
        if (2 * (size + 1) > seqs.length) {
            grow();
        }
        insert(id.hashCode(), seq);
        size++;
    }

    /** Removes the entry of message {@code id} at {@code seq}; nothing when there is none. */
    void remove(String id, long seq) {
        int mask = seqs.length - 1;
        int i = slot(id.hashCode(), mask);
        while (seqs[i] != 0 && seqs[i] != seq) {
            i = (i + 1) & mask;
        }
        if (seqs[i] == 0) {
            return;
        }
        size--;
        // Backward shift: move each later entry of the run whose home slot is not between the hole and it.
        int hole = i;
        for (int j = (hole + 1) & mask; seqs[j] != 0; j = (j + 1) & mask) {
            int home = slot(hashes[j], mask);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                hashes[hole] = hashes[j];
                seqs[hole] = seqs[j];
                hole = j;
            }
        }
        seqs[hole] = 0;
        hashes[hole] = 0;
    }

    private void insert(int h, long seq) {
        int mask = seqs.length - 1;
        int i = slot(h, mask);
        while (seqs[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        seqs[i] = seq;
    }

    private void grow() {
        int[] oldHashes = hashes;
        long[] oldSeqs = seqs;
        hashes = new int[oldSeqs.length * 2];
        seqs = new long[oldSeqs.length * 2];
        for (int i = 0; i < oldSeqs.length; i++) {
            if (oldSeqs[i] != 0) {
                insert(oldHashes[i], oldSeqs[i]);
            }
        }
    }

    /** Spreads String's hash (whose low bits are weak for similar ids) over the table. */
    private static int slot(int h, int mask) {
        int x = h * 0x9E3779B9;
        return (x ^ (x >>> 16)) & mask;
    }
}
