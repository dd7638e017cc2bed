package com.matchbook.realtime.ws.wire;

/**
 * The fixed part of one client frame (RFC 6455 5.2), as read off the wire and before any rule is applied.
 *
 * @param fin     the final fragment of its message
 * @param rsv     the three reserved bits, RSV1 as 4, RSV2 as 2, RSV3 as 1
 * @param opcode  0-15
 * @param masked  whether the MASK bit is set
 * @param length  payload length in bytes (the 7, 16 or 64-bit form already resolved)
 */
record FrameHeader(boolean fin, int rsv, int opcode, boolean masked, long length) {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** RSV1: "compressed" under permessage-deflate (RFC 7692 6). */
    static final int RSV1 = 4;

    /** RFC 6455 5.5: opcodes with the high bit set are control frames. */
    boolean control() {
        return (opcode & 0x8) != 0;
    }
}
