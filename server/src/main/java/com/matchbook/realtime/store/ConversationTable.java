package com.matchbook.realtime.store;

/**
 * One user's conversations in the memory store: for each peer (a user's index, {@code MemoryStore}'s numbering) the
 * seq of the newest message with them in this user's stream and the user's read marker there, in primitive arrays
 * (open addressing, linear probing). The messages of a conversation are chained through the stream itself
 * ({@link EntryRing#prev}), so nothing here grows per message.
 *
 * <p>Why not a map of objects: in the benchmark's p2p scenario everyone writes to everyone, so most messages open a
 * conversation, and a conversation kept as a map entry, a record and a growing array of seqs was several objects
 * per message that the young collector had to copy before promoting them, on the server's one core.
 *
 * <p>A peer stays in the table once added; a conversation whose newest message was trimmed away is empty, and the
 * store skips it. Slots move when the table grows: a slot is valid until the next {@link #findOrAdd}. Not
 * thread-safe: the stream's monitor guards it.
 */
final class ConversationTable {
    /** Peer index plus one; 0 marks a free slot. */
    private int[] peers = new int[8];
    private long[] lastSeqs = new long[8];
    private long[] readSeqs = new long[8];
    private int size;
    /** Slots whose read marker is above 0: a snapshot copies only those, and none when there are none. */
    private int reads;

    /** @return the slot of {@code peer}, or -1 when this user has never had a conversation with them */
    int find(int peer) {
        int mask = peers.length - 1;
        for (int i = home(peer, mask); peers[i] != 0; i = (i + 1) & mask) {
            if (peers[i] == peer + 1) {
                return i;
            }
        }
        return -1;
    }

    /** @return the slot of {@code peer}, added with no messages and nothing read when absent */
    int findOrAdd(int peer) {
        int slot = find(peer);
        if (slot >= 0) {
            return slot;
        }
        if (2 * (size + 1) > peers.length) {
            grow();
        }
        size++;
        return insert(peer + 1, 0, 0);
    }

    /** Slots to iterate over: those below this number with {@link #peer} of 0 or more. */
    int capacity() {
        return peers.length;
    }

    /** @return the peer in this slot, or -1 when the slot is free */
    int peer(int slot) {
        return peers[slot] - 1;
    }

    long lastSeq(int slot) {
        return lastSeqs[slot];
    }

    void lastSeq(int slot, long seq) {
        lastSeqs[slot] = seq;
    }

    long readSeq(int slot) {
        return readSeqs[slot];
    }

    /** The read marker only moves up (docs/protocol.md "Receipts": {@code read} is cumulative). */
    void raiseRead(int slot, long seq) {
        if (readSeqs[slot] <= 0 && seq > 0) {
            reads++;
        }
        readSeqs[slot] = Math.max(readSeqs[slot], seq);
    }

    /** How many conversations have a read marker above 0. */
    int reads() {
        return reads;
    }

    /**
     * Copies every read marker above 0: the peer into {@code peersOut} and the marker into {@code seqsOut}, at the
     * same index, in slot order. Both arrays must hold {@link #reads()} elements.
     */
    void copyReads(int[] peersOut, long[] seqsOut) {
        int n = 0;
        for (int i = 0; i < peers.length && n < reads; i++) {
            if (peers[i] != 0 && readSeqs[i] > 0) {
                peersOut[n] = peers[i] - 1;
                seqsOut[n++] = readSeqs[i];
            }
        }
    }

    private int insert(int key, long last, long read) {
        int mask = peers.length - 1;
        int i = home(key - 1, mask);
        while (peers[i] != 0) {
            i = (i + 1) & mask;
        }
        peers[i] = key;
        lastSeqs[i] = last;
        readSeqs[i] = read;
        return i;
    }

    private void grow() {
        int[] oldPeers = peers;
        long[] oldLast = lastSeqs;
        long[] oldRead = readSeqs;
        peers = new int[oldPeers.length * 2];
        lastSeqs = new long[oldPeers.length * 2];
        readSeqs = new long[oldPeers.length * 2];
        for (int i = 0; i < oldPeers.length; i++) {
            if (oldPeers[i] != 0) {
                insert(oldPeers[i], oldLast[i], oldRead[i]);
            }
        }
    }

    private static int home(int peer, int mask) {
        int x = peer * 0x9E3779B9;
        return (x ^ (x >>> 16)) & mask;
    }

}
