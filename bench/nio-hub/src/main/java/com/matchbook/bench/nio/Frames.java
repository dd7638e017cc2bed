package com.matchbook.bench.nio;

import java.nio.charset.StandardCharsets;

/** The server's side of RFC 6455 section 5.2: unmasked frames, header and payload in one array. */
final class Frames {
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private Frames() {
    }

    /** A text frame of the first {@code n} bytes of {@code payload}. */
    static byte[] text(byte[] payload, int n) {
        return frame(TEXT, payload, n);
    }

    /** A close frame with a status code (section 5.5.1) and a short reason. */
    static byte[] close(int code, String reason) {
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + why.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(why, 0, payload, 2, why.length);
        return frame(CLOSE, payload, payload.length);
    }

    /** A final frame of {@code opcode} holding the first {@code n} bytes of {@code payload}; over 65,535: 8-byte length. */
    static byte[] frame(int opcode, byte[] payload, int n) {
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] f = new byte[header + n];
        f[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            f[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            f[1] = 126;
            f[2] = (byte) (n >> 8);
            f[3] = (byte) n;
        } else {
            f[1] = 127;
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) ((long) n >> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, f, header, n);
        return f;
    }
}
