package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Joins the frames of one data message (RFC 6455 5.4), inflating it when RSV1 says it is compressed (RFC 7692 6.2),
 * checking text as UTF-8 as it arrives, and counting the whole message against its limit after inflation.
 */
final class MessageAssembler {
    /**
     * A compressed message's own bytes may reach twice its limit and this much more before it is closed with 1009,
     * whatever it inflates to: deflate's worst case adds about 0.03% and 5 bytes per block or flush, so no sender
     * comes near it, while a message of empty blocks (no output at all) would otherwise never reach a limit.
     */
    static final long COMPRESSED_SLACK_BYTES = 4096;

    /** A whole message. Exactly one of {@code text} and {@code binary} is set. */
    record Message(String text, byte[] binary) {
    }

    private final WirePolicy policy;
    private final MessageInflater inflater;
    private final MessageInflater.Sink sink = (b, offset, length) -> accept(b, offset, length, false);

    private int opcode = -1;
    private boolean compressed;
    private long bytes;
    private long compressedBytes;
    private long limit;
    /** The text's decoder, made at its first byte over 0x7F: until then the text is ASCII, valid UTF-8 as it is. */
    private Utf8Stream utf8;
    /** The text while every byte so far is ASCII (almost every JSON frame): no decoder for it at all. */
    private byte[] ascii;
    private int asciiLength;
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
        compressedBytes = 0;
        if (opcode == FrameHeader.TEXT) {
            limit = policy.maxTextBytes();
            asciiLength = 0;
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

    /**
     * Part of a frame's (unmasked) payload, in an array the caller hands over ({@link WireInput#readBytes} makes a new
     * one per read): the assembler may keep it as the message's text rather than copy it.
     */
    void payload(byte[] b, int offset, int length) {
        if (compressed) {
            compressedBytes += length;
            if (compressedBytes > 2 * limit + COMPRESSED_SLACK_BYTES) {
                throw FrameRules.tooBig("compressed " + what(), 2 * limit + COMPRESSED_SLACK_BYTES);
            }
            inflater.inflate(b, offset, length, sink);
        } else {
            accept(b, offset, length, true);
        }
    }

    /** The message's final frame has been read. */
    Message finish() {
        if (compressed) {
            inflater.endMessage(sink);
        }
        Message m = opcode == FrameHeader.TEXT ? new Message(text(), null)
                : new Message(null, binary.toByteArray());
        opcode = -1;
        utf8 = null;
        ascii = null;
        binary = null;
        return m;
    }

    /** @param handedOver whether {@code b} is the assembler's to keep (the inflater's output buffer is not) */
    private void accept(byte[] b, int offset, int length, boolean handedOver) {
        bytes += length;
        if (bytes > limit) {
            throw FrameRules.tooBig(what(), limit);
        }
        if (opcode != FrameHeader.TEXT) {
            binary.write(b, offset, length);
        } else if (utf8 == null && isAscii(b, offset, length)) {
            keepAscii(b, offset, length, handedOver);
        } else {
            if (utf8 == null) {
                utf8 = new Utf8Stream();   // the first non-ASCII byte: from here on the decoder checks every byte
                if (asciiLength > 0) {
                    utf8.feed(ascii, 0, asciiLength);
                }
                ascii = null;
            }
            utf8.feed(b, offset, length);
        }
    }

    private String text() {
        if (utf8 != null) {
            return utf8.finish();
        }
        return asciiLength == 0 ? "" : new String(ascii, 0, asciiLength, StandardCharsets.ISO_8859_1);
    }

    private void keepAscii(byte[] b, int offset, int length, boolean handedOver) {
        if (ascii == null && handedOver && offset == 0 && length == b.length) {
            ascii = b;   // a one-frame message read in one go (most frames): its bytes are already the text's
            asciiLength = length;
            return;
        }
        if (ascii == null) {
            ascii = new byte[length];
        } else if (ascii.length - asciiLength < length) {
            ascii = Arrays.copyOf(ascii, Math.max(asciiLength + length, ascii.length * 2));
        }
        System.arraycopy(b, offset, ascii, asciiLength, length);
        asciiLength += length;
    }

    private static boolean isAscii(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private String what() {
        return opcode == FrameHeader.TEXT ? "text message" : "binary message";
    }
}
