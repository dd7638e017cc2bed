package com.matchbook.realtime.ws.wire;

import java.nio.charset.StandardCharsets;

import com.matchbook.realtime.protocol.CloseCodes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The text a message's frames add up to, whether the reader hands its payload over in one array or in pieces, ASCII or
 * not (RFC 6455 5.4 fragments, 8.1 UTF-8 checked as it arrives).
 */
class MessageAssemblerTest {
    private final MessageAssembler assembler = new MessageAssembler(WirePolicy.of(64, 64, false), null);

    @Test
    void aOneFrameAsciiMessageIsItsPayload() {
        assertEquals("{\"type\":\"ping\"}", text(new FrameHeader(true, 0, FrameHeader.TEXT, true, 15),
                                                 "{\"type\":\"ping\"}"));
    }

    @Test
    void piecesOfOneFrameAndFragmentsAreJoinedInOrder() {
        assembler.start(new FrameHeader(false, 0, FrameHeader.TEXT, true, 6));
        hand("abc");
        hand("def");
        hand("ghi");   // a continuation frame's payload
        assertEquals("abcdefghi", assembler.finish().text());
    }

    @Test
    void asciiThenMultiByteTextIsDecodedWhole() {
        assembler.start(new FrameHeader(false, 0, FrameHeader.TEXT, true, 4));
        hand("caf");
        byte[] e = "é!".getBytes(StandardCharsets.UTF_8);
        assembler.payload(new byte[] {e[0]}, 0, 1);   // the two-byte letter split across pieces
        assembler.payload(new byte[] {e[1], e[2]}, 0, 2);
        assertEquals("café!", assembler.finish().text());
    }

    @Test
    void aPieceOfALargerArrayIsCopiedNotKept() {
        byte[] buffer = "xxhelloxx".getBytes(StandardCharsets.US_ASCII);
        assembler.start(new FrameHeader(true, 0, FrameHeader.TEXT, true, 5));
        assembler.payload(buffer, 2, 5);
        assertEquals("hello", assembler.finish().text());
    }

    @Test
    void theNextMessageStartsEmpty() {
        assertEquals("first", text(new FrameHeader(true, 0, FrameHeader.TEXT, true, 5), "first"));
        assertEquals("second", text(new FrameHeader(true, 0, FrameHeader.TEXT, true, 6), "second"));
    }

    @Test
    void piecesOverTheLimitAreRefusedWhenTheyArrive() {
        assembler.start(new FrameHeader(false, 0, FrameHeader.TEXT, true, 60));
        hand("a".repeat(60));
        ProtocolViolation refused = assertThrows(ProtocolViolation.class, () -> hand("b".repeat(5)));
        assertEquals(CloseCodes.TOO_BIG, refused.closeCode());
    }

    @Test
    void aCompressedMessageThatNeverInflatesIsRefusedByItsOwnSize() {
        // Empty stored blocks (RFC 1951 3.2.4: 00, LEN 0000, NLEN FFFF) inflate to nothing, so the limit after
        // inflation never trips; the message's own bytes are bounded at twice the limit and a little more.
        MessageInflater inflater = new MessageInflater(true);
        MessageAssembler compressing = new MessageAssembler(WirePolicy.of(64, 64, true), inflater);
        compressing.start(new FrameHeader(false, FrameHeader.RSV1, FrameHeader.TEXT, true, 5));
        byte[] emptyBlock = {0x00, 0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
        long allowed = 2 * 64 + MessageAssembler.COMPRESSED_SLACK_BYTES;
        for (long sent = 0; sent + emptyBlock.length <= allowed; sent += emptyBlock.length) {
            compressing.payload(emptyBlock, 0, emptyBlock.length);
        }
        ProtocolViolation refused = assertThrows(ProtocolViolation.class,
                () -> compressing.payload(emptyBlock, 0, emptyBlock.length));
        assertEquals(CloseCodes.TOO_BIG, refused.closeCode());
        inflater.release();
    }

    private String text(FrameHeader h, String payload) {
        assembler.start(h);
        hand(payload);
        return assembler.finish().text();
    }

    private void hand(String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        assembler.payload(b, 0, b.length);
    }
}
