package com.matchbook.realtime.message;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The contract's binary layout: [4-byte big-endian length][UTF-8 JSON header][payload]. */
class BinaryFramesTest {

    @Test
    void encodesTheLengthBigEndianThenHeaderThenPayload() {
        byte[] header = "{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8);
        byte[] frame = BinaryFrames.encode(header, new byte[] {9, 8});
        assertArrayEquals(new byte[] {0, 0, 0, (byte) header.length}, java.util.Arrays.copyOf(frame, 4));
        BinaryFrames.Parts parts = BinaryFrames.decode(frame, 1024);
        assertEquals("{\"a\":\"é\"}", parts.headerJson());
        assertArrayEquals(new byte[] {9, 8}, parts.payload());
    }

    @Test
    void anEmptyPayloadIsAllowed() {
        BinaryFrames.Parts parts = BinaryFrames.decode(BinaryFrames.encode("{}".getBytes(StandardCharsets.UTF_8),
                                                                           new byte[0]), 1024);
        assertEquals(0, parts.payload().length);
    }

    @Test
    void lengthsOver255AreReadAsFourBytes() {
        byte[] header = ("{\"pad\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        BinaryFrames.Parts parts = BinaryFrames.decode(BinaryFrames.encode(header, new byte[] {1}), 100_000);
        assertEquals(header.length, parts.headerJson().length());
        assertArrayEquals(new byte[] {1}, parts.payload());
    }

    @Test
    void malformedFramesAreRefusedWithAReason() {
        assertThrows(BinaryFrames.MalformedFrameException.class, () -> BinaryFrames.decode(new byte[] {0, 0, 1}, 64));
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(new byte[] {0, 0, 0, 0, 1}, 64), "empty header");
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(new byte[] {0, 0, 0, 9, '{', '}'}, 64), "header longer than the frame");
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(new byte[] {(byte) 0xFF, 0, 0, 0, '{'}, 64), "over the header limit");
    }
}
