package com.matchbook.realtime.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        assertArrayEquals(new byte[] {0, 0, 0, (byte) header.length}, Arrays.copyOf(frame, 4));
        BinaryFrames.Parts parts = BinaryFrames.decode(frame, 1024);
        assertEquals("{\"a\":\"é\"}", parts.headerJson());
        assertArrayEquals(new byte[] {9, 8}, parts.payload());
    }

    @Test
    void aTextHeaderRoundTripsWithAMultiByteName() {
        byte[] payload = {0, 1, 2, (byte) 0xFF};
        String header = "{\"type\":\"send\",\"name\":\"é.bin\"}";
        byte[] frame = BinaryFrames.encode(header, payload);
        int headerBytes = header.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(4 + headerBytes + payload.length, frame.length);
        assertEquals(headerBytes, frame[3] & 0xFF, "length counts bytes, not characters");
        BinaryFrames.Parts parts = BinaryFrames.decode(frame, 1024);
        assertEquals(header, parts.headerJson());
        assertArrayEquals(payload, parts.payload());
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
    void aHeaderThatIsNotUtf8IsRefusedNotReplaced() {
        for (byte[] bad : new byte[][] {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC0, (byte) 0xAF}}) {
            byte[] header = new byte[bad.length + 2];
            header[0] = '"';
            System.arraycopy(bad, 0, header, 1, bad.length);
            header[header.length - 1] = '"';
            assertThrows(BinaryFrames.HeaderNotUtf8Exception.class,
                         () -> BinaryFrames.decode(BinaryFrames.encode(header, new byte[] {1}), 64),
                         "a lone byte, a cut sequence, an encoded surrogate, an overlong form");
        }
        String ok = "{\"text\":\"h\u00e9 \ud83d\ude00\"}";
        assertEquals(ok, BinaryFrames.decode(BinaryFrames.encode(ok, new byte[0]), 64).headerJson());
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
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(new byte[] {0, 0}, 64), "no room for the length");
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(new byte[] {0, 0, 0, 9, 1}, 64), "header past the end");
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(new byte[] {0, 0, 0, 0}, 64), "only an empty header length");
    }

    @Test
    void aHeaderExactlyAtTheLimitIsRead() {
        byte[] header = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"a\":1}", BinaryFrames.decode(BinaryFrames.encode(header, new byte[0]), header.length)
                .headerJson());
        assertThrows(BinaryFrames.MalformedFrameException.class,
                     () -> BinaryFrames.decode(BinaryFrames.encode(header, new byte[0]), header.length - 1));
    }
}
