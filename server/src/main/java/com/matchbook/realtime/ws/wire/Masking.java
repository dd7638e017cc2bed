package com.matchbook.realtime.ws.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Removes a client frame's mask (RFC 6455 5.3: byte {@code i} of the payload is XORed with byte {@code i mod 4} of
 * the 4-byte masking key). Eight bytes at a time: the key repeats every 4 bytes, so one 64-bit word of it fits every
 * group of 8 counted from the start of the range. The byte-at-a-time loop this replaces took up to 2% of the
 * server's CPU samples at the p2p limit (0.6-2.0% per loaded window; async-profiler, 2026-12-02,
 * bench/results/profiles-2026-12-02.md), the project's largest self time on the read path.
 */
final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Masking() {
    }

    /**
     * Unmasks {@code b[offset, offset + length)} in place.
     *
     * @param key      the frame's 4-byte masking key
     * @param position where {@code b[offset]} is in the frame's payload (a frame read in several chunks continues
     *                 the key where the last chunk stopped)
     */
    static void unmask(byte[] b, int offset, int length, byte[] key, long position) {
        int i = 0;
        if (length >= Long.BYTES) {
            long word = 0;
            for (int k = Long.BYTES - 1; k >= 0; k--) {   // little-endian: byte k of the group is bits 8k..8k+7
                word = (word << 8) | (key[(int) ((position + k) & 3)] & 0xFF);
            }
            for (; i + Long.BYTES <= length; i += Long.BYTES) {
                LONGS.set(b, offset + i, (long) LONGS.get(b, offset + i) ^ word);
            }
        }
        for (; i < length; i++) {
            b[offset + i] ^= key[(int) ((position + i) & 3)];
        }
    }
}
