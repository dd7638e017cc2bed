package com.matchbook.realtime.ws.wire;

import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.Deflater;

/**
 * Compresses one outgoing message on its own (RFC 7692 7.2.1 with {@code server_no_context_takeover}). Deflaters are
 * pooled across connections: zlib's compressor state is about a quarter of a megabyte, far more than a connection
 * should hold while idle, and without context takeover nothing ties one to a connection.
 */
final class MessageDeflater {
    /** Smaller messages go out uncompressed (RSV1 clear), which 7692 allows per message: deflate would not pay. */
    static final int MIN_COMPRESSED_BYTES = 64;
    private static final int POOLED = 16;
    private static final ArrayBlockingQueue<Deflater> POOL = new ArrayBlockingQueue<>(POOLED);

    private MessageDeflater() {
    }

    /**
     * @return the message's compressed payload, without the 4-byte tail 7.2.1 says to remove; or null when
     *         compressing would not make it smaller (null, not Optional: this runs once per outgoing message)
     */
    static byte[] compress(byte[] payload) {
        if (payload.length < MIN_COMPRESSED_BYTES) {
            return null;
        }
        Deflater d = POOL.poll();
        if (d == null) {
            d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        try {
            d.setInput(payload);
            byte[] out = new byte[payload.length + 64];
            int n = 0;
            while (true) {
                n += d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
                if (n < out.length) {
                    break;
                }
                out = Arrays.copyOf(out, out.length * 2);
            }
            // SYNC_FLUSH ends with an empty stored block 00 00 FF FF: 7.2.1 removes it.
            int length = n - 4;
            return length < payload.length ? Arrays.copyOf(out, length) : null;
        } finally {
            d.reset();
            if (!POOL.offer(d)) {
                d.end();
            }
        }
    }
}
