package com.matchbook.realtime.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The contract's binary frame layout (PROTOCOL.md "Binary frames"):
 * {@code [4-byte big-endian length L][L bytes of UTF-8 JSON header][payload]}. Only the layout: what the header must
 * hold is checked by whoever reads it.
 */
public final class BinaryFrames {

    private BinaryFrames() {
    }

    /** A decoded binary frame: its JSON header text and its payload. */
    public record Parts(String headerJson, byte[] payload) {
    }

    /** Thrown for a binary frame that does not follow the layout. */
    public static class MalformedFrameException extends RuntimeException {
        MalformedFrameException(String message) {
            super(message);
        }
    }

    /**
     * Thrown for a header whose bytes are not valid UTF-8 (RFC 3629): refused rather than decoded with U+FFFD in
     * place of the bad bytes, which would store and deliver a text the sender never wrote.
     */
    public static final class HeaderNotUtf8Exception extends MalformedFrameException {
        HeaderNotUtf8Exception() {
            super("binary frame header is not valid UTF-8");
        }
    }

    /** One frame from its header (UTF-8 JSON, at most 2^31-1 bytes) and its payload (may be empty). */
    public static byte[] encode(byte[] header, byte[] payload) {
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

    /** {@link #encode(byte[], byte[])} with the header given as JSON text. */
    public static byte[] encode(String headerJson, byte[] payload) {
        return encode(headerJson.getBytes(StandardCharsets.UTF_8), payload);
    }

    /**
     * The header and payload of {@code frame}; the payload is a copy.
     *
     * @param maxHeaderBytes the reader's limit on the header length, in bytes
     * @throws MalformedFrameException when the frame is shorter than 4 bytes, or the header length is 0, over
     *                                 {@code maxHeaderBytes} or past the end of the frame
     * @throws HeaderNotUtf8Exception  when the header's bytes are not valid UTF-8
     */
    public static Parts decode(byte[] frame, int maxHeaderBytes) {
        if (frame.length < 4) {
            throw new MalformedFrameException("binary frame shorter than its 4-byte header length");
        }
        long n = ((frame[0] & 0xFFL) << 24) | ((frame[1] & 0xFFL) << 16) | ((frame[2] & 0xFFL) << 8) | (frame[3] & 0xFFL);
        if (n == 0) {
            throw new MalformedFrameException("binary frame has an empty header");
        }
        if (n > maxHeaderBytes) {
            throw new MalformedFrameException("binary frame header longer than " + maxHeaderBytes + " bytes");
        }
        if (n > frame.length - 4) {
            throw new MalformedFrameException("binary frame header length " + n + " exceeds the frame");
        }
        int len = (int) n;
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(frame, 4, len))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new HeaderNotUtf8Exception();
        }
        return new Parts(header, Arrays.copyOfRange(frame, 4 + len, frame.length));
    }
}
