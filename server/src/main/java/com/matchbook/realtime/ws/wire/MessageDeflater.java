package com.matchbook.realtime.ws.wire;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses one outgoing message on its own (RFC 7692 7.2.1 with {@code server_no_context_takeover}). A window
 * smaller than zlib's 15 bits ({@code server_max_window_bits}, 7.1.2.1), which {@code java.util.zip} cannot set, is
 * kept by compressing 2^bits bytes at a time with a full flush between: a full flush resets the dictionary, so no
 * back-reference reaches past the piece it is in, and a piece is no longer than the window. Deflaters are
 * pooled across connections: zlib's compressor state is about a quarter of a megabyte, far more than a connection
 * should hold while idle, and without context takeover nothing ties one to a connection.
 */
final class MessageDeflater {
    /** Smaller messages go out uncompressed (RSV1 clear), which 7692 allows per message: deflate would not pay. */
    static final int MIN_COMPRESSED_BYTES = 64;
    private static final int POOLED = 16;
    private static final ZlibPool<Deflater> POOL = new ZlibPool<>(POOLED,
            () -> new Deflater(Deflater.DEFAULT_COMPRESSION, true), Deflater::reset, Deflater::end);

    private MessageDeflater() {
    }

    /**
     * @param windowBits the agreed window, 8-15: no back-reference reaches further than 2^bits bytes
     * @return the message's compressed payload, without the 4-byte tail 7.2.1 says to remove; or null when
     *         compressing would not make it smaller (null, not Optional: this runs once per outgoing message)
     */
    static byte[] compress(byte[] payload, int windowBits) {
        if (payload.length < MIN_COMPRESSED_BYTES) {
            return null;
        }
        Deflater d = POOL.borrow();
        try {
            int piece = 1 << windowBits;
            byte[] out = new byte[payload.length + 64];
            int n = 0;
            for (int from = 0; from < payload.length; from += piece) {
                int length = Math.min(piece, payload.length - from);
                boolean last = from + length >= payload.length;
                d.setInput(payload, from, length);
                int flush = last ? Deflater.SYNC_FLUSH : Deflater.FULL_FLUSH;
                while (true) {
                    n += d.deflate(out, n, out.length - n, flush);
                    if (n < out.length) {
                        break;
                    }
                    out = Arrays.copyOf(out, out.length * 2);
                }
            }
            // SYNC_FLUSH ends with an empty stored block 00 00 FF FF: 7.2.1 removes it.
            int length = n - 4;
            return length < payload.length ? Arrays.copyOf(out, length) : null;
        } finally {
            POOL.giveBack(d);
        }
    }
}
