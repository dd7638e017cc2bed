package com.matchbook.realtime.ws.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.matchbook.realtime.protocol.CloseCodes;

/**
 * Decodes one text message as its bytes arrive, fragment by fragment (RFC 6455 8.1: a text message must be valid
 * UTF-8 as a whole, and "_Fail the WebSocket Connection_" when it is not). The JDK's decoder with
 * {@link CodingErrorAction#REPORT} does the checking: it keeps an incomplete character for the next fragment, and
 * reports a sequence that can no longer become valid as soon as it sees it, so the connection fails at the first bad
 * byte, not at the end of the message. The decoded text is kept, so a message is decoded once.
 */
final class Utf8Stream {
    /** The longest UTF-8 sequence: at most this many bytes wait for the next fragment. */
    private static final int MAX_SEQUENCE = 4;

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final StringBuilder text = new StringBuilder();
    private final ByteBuffer carry = ByteBuffer.allocate(MAX_SEQUENCE * 2);
    private CharBuffer out = CharBuffer.allocate(256);

    /**
     * Decodes {@code length} bytes from {@code offset}.
     *
     * @throws ProtocolViolation 1007 at the first byte that makes the text invalid
     */
    void feed(byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        // A character split across feeds: complete it byte by byte from the carried bytes first.
        while (carry.position() > 0 && at < end) {
            carry.put(bytes[at++]);
            carry.flip();
            decode(carry, false);
            carry.compact();
        }
        if (at < end) {
            ByteBuffer in = ByteBuffer.wrap(bytes, at, end - at);
            decode(in, false);
            carry.put(in);   // at most 3 bytes of a character still incomplete
        }
    }

    /**
     * Ends the message.
     *
     * @return the whole text
     * @throws ProtocolViolation 1007 when the message ends inside a character
     */
    String finish() {
        carry.flip();
        decode(carry, true);
        CoderResult flushed = decoder.flush(out);
        if (flushed.isError() || carry.hasRemaining()) {
            throw invalid();
        }
        out.flip();
        text.append(out);
        out.clear();
        return text.toString();
    }

    private void decode(ByteBuffer in, boolean last) {
        while (true) {
            CoderResult r = decoder.decode(in, out, last);
            if (r.isError()) {
                throw invalid();
            }
            if (r.isOverflow()) {
                out.flip();
                text.append(out);
                out.clear();
                continue;
            }
            return;
        }
    }

    private static ProtocolViolation invalid() {
        return new ProtocolViolation(CloseCodes.INVALID_PAYLOAD, "text is not valid UTF-8");
    }
}
