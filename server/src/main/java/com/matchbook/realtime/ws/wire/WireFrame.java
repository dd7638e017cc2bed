package com.matchbook.realtime.ws.wire;

/**
 * One whole outgoing message or control frame, for {@link BatchSession#sendAll}.
 *
 * @param opcode  RFC 6455 5.2 opcode: {@link #TEXT}, {@link #BINARY}, {@link #PING} or {@link #PONG}
 * @param payload the unmasked payload (UTF-8 for text); control payloads at most 125 bytes
 */
public record WireFrame(int opcode, byte[] payload) {
    public static final int TEXT = FrameHeader.TEXT;
    public static final int BINARY = FrameHeader.BINARY;
    public static final int PING = FrameHeader.PING;
    public static final int PONG = FrameHeader.PONG;
}
