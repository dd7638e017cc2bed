package com.matchbook.realtime.message;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Message ids: 48 bits of milliseconds then 80 random bits, in Crockford base32 (26 characters). Unique across nodes
 * and restarts without coordination, and they sort by time, which makes logs and stores easier to read. Ids are not
 * secrets (every reader of a message sees its id), so the random bits come from the per-thread generator, which
 * unlike SecureRandom takes no lock on the hot path.
 */
public final class MessageIds {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    public String next() {
        long millis = System.currentTimeMillis();
        byte[] rnd = new byte[10];
        ThreadLocalRandom.current().nextBytes(rnd);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[9 - i] = ALPHABET[(int) ((millis >>> (i * 5)) & 31)];
        }
        long hi = ((rnd[0] & 0xFFL) << 32) | ((rnd[1] & 0xFFL) << 24) | ((rnd[2] & 0xFFL) << 16)
                | ((rnd[3] & 0xFFL) << 8) | (rnd[4] & 0xFFL);
        long lo = ((rnd[5] & 0xFFL) << 32) | ((rnd[6] & 0xFFL) << 24) | ((rnd[7] & 0xFFL) << 16)
                | ((rnd[8] & 0xFFL) << 8) | (rnd[9] & 0xFFL);
        for (int i = 7; i >= 0; i--) {
            out[10 + 7 - i] = ALPHABET[(int) ((hi >>> (i * 5)) & 31)];
            out[18 + 7 - i] = ALPHABET[(int) ((lo >>> (i * 5)) & 31)];
        }
        return new String(out);
    }
}
