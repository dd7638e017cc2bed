package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uncompressed batches are the frames RFC 6455 5.2 describes, back to back, whatever an earlier write left in the
 * reused array ({@link WriteBuffers}).
 */
class FrameEncoderTest {

    /** RFC 6455 5.2 as written: FIN, no RSV, the opcode; no mask; 7-bit, 16-bit or 64-bit length; the payload. */
    private static void asTheRfcSays(ByteArrayOutputStream out, int opcode, byte[] payload) {
        out.write(0x80 | opcode);
        int n = payload.length;
        if (n <= 125) {
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(126);
            out.write(n >> 8);
            out.write(n & 0xFF);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (((long) n >> (8 * i)) & 0xFF));
            }
        }
        out.writeBytes(payload);
    }

    @Property(tries = 300)
    void aBatchIsTheRfcsFramesInOrderAfterAnyEarlierWrite(@ForAll("batches") List<WireFrame> earlier,
                                                         @ForAll("batches") List<WireFrame> batch) {
        FrameEncoder.Encoded before = FrameEncoder.encode(earlier, 0);
        WriteBuffers.SHARED.give(before.array());   // its bytes stay in the array for the next write to overwrite

        FrameEncoder.Encoded encoded = FrameEncoder.encode(batch, 0);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (WireFrame f : batch) {
            asTheRfcSays(expected, f.opcode(), f.payload());
        }
        assertEquals(expected.size(), encoded.length());
        assertTrue(encoded.array().length >= encoded.length());
        assertArrayEquals(expected.toByteArray(), Arrays.copyOf(encoded.array(), encoded.length()));
        WriteBuffers.SHARED.give(encoded.array());
    }

    @Provide
    Arbitrary<List<WireFrame>> batches() {
        Arbitrary<Integer> opcodes = Arbitraries.of(WireFrame.TEXT, WireFrame.BINARY);
        // every header form and its edges, small frames most often, and batches past the pooled array's size
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.of(0, 1, 125, 126, 127, 65_535, 65_536),
                                                       Arbitraries.integers().between(0, 400),
                                                       Arbitraries.integers().between(0, 20_000));
        Arbitrary<WireFrame> frames = Combinators.combine(opcodes, lengths, Arbitraries.integers())
                .as((opcode, length, seed) -> {
                    byte[] payload = new byte[length];
                    for (int i = 0; i < length; i++) {
                        payload[i] = (byte) (seed + i * 31);
                    }
                    return new WireFrame(opcode, payload);
                });
        return frames.list().ofMinSize(1).ofMaxSize(64).map(ArrayList::new);
    }

    @Test
    void smallWritesReuseAFewArraysAndEveryOtherWriteGetsItsExactSize() {
        WriteBuffers buffers = new WriteBuffers(2);
        byte[] first = buffers.take(300);
        assertEquals(WriteBuffers.SIZE, first.length);
        buffers.give(first);
        assertSame(first, buffers.take(20), "the array given back is taken again");

        byte[] second = buffers.take(20);
        assertNotSame(first, second, "an array still being written is never handed out twice");
        assertEquals(WriteBuffers.SIZE, second.length);
        byte[] third = buffers.take(20);
        assertEquals(20, third.length, "both pooled arrays are out: this write gets its exact size, not a pooled one");
        buffers.give(first);
        buffers.give(second);
        buffers.give(third);
        List<byte[]> taken = List.of(buffers.take(1), buffers.take(1), buffers.take(1));
        assertSame(first, taken.get(0));
        assertSame(second, taken.get(1));
        assertEquals(1, taken.get(2).length, "no more than two pooled arrays are ever made");

        byte[] large = buffers.take(WriteBuffers.SIZE + 1);
        assertEquals(WriteBuffers.SIZE + 1, large.length);
    }
}
