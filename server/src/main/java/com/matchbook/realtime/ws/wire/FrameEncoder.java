package com.matchbook.realtime.ws.wire;

import java.util.List;

/**
 * Server frames (RFC 6455 5.2: unmasked), several into one array so one socket write carries them all. A data
 * message is one frame (FIN set); with a deflate window ({@code deflateBits} above 0), its payload is compressed when that makes it smaller and the
 * frame carries RSV1 (RFC 7692 6: RSV1 on the first frame of a compressed message, and only there).
 */
final class FrameEncoder {
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;

    private FrameEncoder() {
    }

    /** @param deflateBits the agreed permessage-deflate window in bits, or 0 when nothing is compressed */
    static byte[] encode(List<WireFrame> messages, int deflateBits) {
        byte[][] payloads = new byte[messages.size()][];
        boolean[] compressed = new boolean[messages.size()];
        int size = 0;
        for (int i = 0; i < payloads.length; i++) {
            WireFrame m = messages.get(i);
            byte[] p = m.payload();
            if (deflateBits > 0 && (m.opcode() == WireFrame.TEXT || m.opcode() == WireFrame.BINARY)) {
                byte[] c = MessageDeflater.compress(p, deflateBits);
                if (c != null) {
                    p = c;
                    compressed[i] = true;
                }
            }
            payloads[i] = p;
            size += headerLength(p.length) + p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 0; i < payloads.length; i++) {
            int first = FIN | (compressed[i] ? RSV1 : 0) | messages.get(i).opcode();
            at = put(out, at, first, payloads[i]);
        }
        return out;
    }

    /** One frame with the given first byte (FIN, RSV and opcode), for fragments and close frames. */
    static byte[] frame(int firstByte, byte[] payload) {
        byte[] out = new byte[headerLength(payload.length) + payload.length];
        put(out, 0, firstByte, payload);
        return out;
    }

    private static int put(byte[] out, int at, int firstByte, byte[] payload) {
        int n = payload.length;
        out[at++] = (byte) firstByte;
        if (n < 126) {
            out[at++] = (byte) n;
        } else if (n < 65536) {
            out[at++] = 126;
            out[at++] = (byte) (n >>> 8);
            out[at++] = (byte) n;
        } else {
            out[at++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                out[at++] = (byte) ((long) n >>> shift);
            }
        }
        System.arraycopy(payload, 0, out, at, n);
        return at + n;
    }

    private static int headerLength(int payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength < 65536 ? 4 : 10;
    }
}
