package com.matchbook.realtime.message;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Message ids: 48 bits of milliseconds then 80 random bits, in Crockford base32 (26 characters). Unique across nodes
 * and restarts without coordination, and they sort by time, which makes logs and stores easier to read. Ids are not
 * secrets (every reader of a message sees its id), so the random bits come from the per-thread generator, which
 * unlike SecureRandom takes no lock on the hot path.
 */
public final class MessageIds {
    private static final byte[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".getBytes(StandardCharsets.US_ASCII);

    /** A new id: 26 characters of the alphabet above, the first 10 the time in milliseconds. */
    public String next() {
        long millis = System.currentTimeMillis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hi = random.nextLong() >>> 24;   // 40 random bits each: 80 in all
        long lo = random.nextLong() >>> 24;
        byte[] out = new byte[26];
        for (int i = 9; i >= 0; i--) {
            out[9 - i] = ALPHABET[(int) ((millis >>> (i * 5)) & 31)];
        }
        for (int i = 7; i >= 0; i--) {
            out[10 + 7 - i] = ALPHABET[(int) ((hi >>> (i * 5)) & 31)];
            out[18 + 7 - i] = ALPHABET[(int) ((lo >>> (i * 5)) & 31)];
        }
        // ASCII, so the string keeps one byte per char (a char[] made it compress a copy first)
        return new String(out, StandardCharsets.US_ASCII);
    }
}
