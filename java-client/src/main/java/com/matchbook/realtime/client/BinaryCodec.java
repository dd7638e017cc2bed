package com.matchbook.realtime.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The contract's binary frame: {@code [4-byte big-endian length L][L bytes of UTF-8 JSON header][payload]}. */
final class BinaryCodec {
    /** Headers are small JSON objects; a bigger length means the frame is not ours. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private BinaryCodec() {
    }

    /** A decoded frame. */
    record Parts(String headerJson, byte[] payload) {
    }

    /** A binary frame that does not follow the layout. */
    static final class MalformedFrameException extends RuntimeException {
        MalformedFrameException(String message) {
            super(message);
        }
    }

    static byte[] encode(String headerJson, byte[] payload) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[4 + header.length + payload.length];
        int n = header.length;
        out[0] = (byte) (n >>> 24);
        out[1] = (byte) (n >>> 16);
        out[2] = (byte) (n >>> 8);
        out[3] = (byte) n;
        System.arraycopy(header, 0, out, 4, n);
        System.arraycopy(payload, 0, out, 4 + n, payload.length);
        return out;
    }

    static Parts decode(byte[] frame) {
        if (frame.length < 4) {
            throw new MalformedFrameException("binary frame shorter than its 4-byte header length");
        }
        long n = ((frame[0] & 0xFFL) << 24) | ((frame[1] & 0xFFL) << 16) | ((frame[2] & 0xFFL) << 8) | (frame[3] & 0xFFL);
        if (n == 0 || n > MAX_HEADER_BYTES || n > frame.length - 4) {
            throw new MalformedFrameException("binary frame header length " + n + " does not fit a "
                                                      + frame.length + "-byte frame");
        }
        int len = (int) n;
        return new Parts(new String(frame, 4, len, StandardCharsets.UTF_8),
                         Arrays.copyOfRange(frame, 4 + len, frame.length));
    }
}
