package com.matchbook.realtime.client;

/**
 * What a user's stream holds (docs/protocol.md "Frames"): messages and, since 1.1, updates, both numbered by
 * {@code seq}, so recovery orders, dedupes and confirms them together.
 */
sealed interface StreamEntry permits Message, Update {

    /** The entry's seq, or a negative number for a broadcast (never numbered). */
    static long seqOf(StreamEntry e) {
        return switch (e) {
            case Message m -> m.rawSeq();
            case Update u -> u.seq();
        };
    }
}
