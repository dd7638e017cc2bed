package com.matchbook.realtime.ws;

import java.util.List;

import com.matchbook.realtime.message.OutFrame;

/**
 * RFC 6455 server frames (unmasked, FIN set), several encoded into one array so that one socket write carries them
 * all. Helidon's {@code WsSession.send} writes (and flushes) each frame on its own; with a small TCP send costing
 * about as much as all our other work per message, sending what is queued together is the main lever on throughput.
 */
final class WireFrames {
    private WireFrames() {
    }

    static byte[] encode(List<OutFrame> frames) {
        int size = 0;
        for (OutFrame f : frames) {
            size += headerLength(f.bytes().length) + f.bytes().length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (OutFrame f : frames) {
            at = put(out, at, f);
        }
        return out;
    }

    private static int put(byte[] out, int at, OutFrame f) {
        byte[] payload = f.bytes();
        int n = payload.length;
        out[at++] = (byte) (0x80 | opcode(f.kind()));
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

    private static int opcode(OutFrame.Kind kind) {
        return switch (kind) {
            case TEXT -> 0x1;
            case BINARY -> 0x2;
            case PING -> 0x9;
            case PONG -> 0xA;
        };
    }
}
