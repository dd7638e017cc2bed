package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;

/**
 * Joins the frames of one data message (RFC 6455 5.4), inflating it when RSV1 says it is compressed (RFC 7692 6.2),
 * checking text as UTF-8 as it arrives, and counting the whole message against its limit after inflation.
 */
final class MessageAssembler {
    /** A whole message. Exactly one of {@code text} and {@code binary} is set. */
    record Message(String text, byte[] binary) {
    }

    private final WirePolicy policy;
    private final MessageInflater inflater;
    private final MessageInflater.Sink sink = this::accept;

    private int opcode = -1;
    private boolean compressed;
    private long bytes;
    private long limit;
    private Utf8Stream utf8;
    private ByteArrayOutputStream binary;

    /** @param inflater the connection's inflater, or null when permessage-deflate was not agreed */
    MessageAssembler(WirePolicy policy, MessageInflater inflater) {
        this.policy = policy;
        this.inflater = inflater;
    }

    boolean open() {
        return opcode >= 0;
    }

    /** A text or binary frame begins a message (the rules were checked by the reader). */
    void start(FrameHeader h) {
        opcode = h.opcode();
        compressed = (h.rsv() & FrameHeader.RSV1) != 0;
        bytes = 0;
        if (opcode == FrameHeader.TEXT) {
            limit = policy.maxTextBytes();
            utf8 = new Utf8Stream();
        } else {
            limit = policy.maxBinaryBytes();
            binary = new ByteArrayOutputStream(256);
        }
    }

    /**
     * Fails at once when an uncompressed frame's declared length would take the message over its limit, before its
     * payload is read.
     */
    void expect(long frameLength) {
        if (!compressed && bytes + frameLength > limit) {
            throw FrameRules.tooBig(what(), limit);
        }
    }

    /** Part of a frame's (unmasked) payload. */
    void payload(byte[] b, int offset, int length) {
        if (compressed) {
            inflater.inflate(b, offset, length, sink);
        } else {
            accept(b, offset, length);
        }
    }

    /** The message's final frame has been read. */
    Message finish() {
        if (compressed) {
            inflater.endMessage(sink);
        }
        Message m = opcode == FrameHeader.TEXT ? new Message(utf8.finish(), null)
                : new Message(null, binary.toByteArray());
        opcode = -1;
        utf8 = null;
        binary = null;
        return m;
    }

    private void accept(byte[] b, int offset, int length) {
        bytes += length;
        if (bytes > limit) {
            throw FrameRules.tooBig(what(), limit);
        }
        if (utf8 != null) {
            utf8.feed(b, offset, length);
        } else {
            binary.write(b, offset, length);
        }
    }

    private String what() {
        return opcode == FrameHeader.TEXT ? "text message" : "binary message";
    }
}
