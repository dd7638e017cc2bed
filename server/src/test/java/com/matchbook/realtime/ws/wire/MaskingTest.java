package com.matchbook.realtime.ws.wire;

import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class MaskingTest {
    /** RFC 6455 5.3 as written: byte i of the payload XOR byte (i mod 4) of the key. */
    private static byte[] maskedOneByOne(byte[] payload, byte[] key, long position) {
        byte[] out = payload.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= key[(int) ((position + i) & 3)];
        }
        return out;
    }

    @Property(tries = 500)
    void unmasksLikeTheRfcAtAnyLengthOffsetAndPositionInTheFrame(@ForAll @Size(max = 70) byte[] payload,
                                                                @ForAll @Size(4) byte[] key,
                                                                @ForAll @IntRange(max = 11) int offset,
                                                                @ForAll @IntRange(max = 1_000_003) int position) {
        byte[] buffer = new byte[offset + payload.length + 5];
        Arrays.fill(buffer, (byte) 0x5A);
        System.arraycopy(payload, 0, buffer, offset, payload.length);

        Masking.unmask(buffer, offset, payload.length, key, position);

        assertArrayEquals(maskedOneByOne(payload, key, position),
                          Arrays.copyOfRange(buffer, offset, offset + payload.length));
        byte[] untouched = new byte[buffer.length - payload.length];
        Arrays.fill(untouched, (byte) 0x5A);
        byte[] outside = new byte[untouched.length];
        System.arraycopy(buffer, 0, outside, 0, offset);
        System.arraycopy(buffer, offset + payload.length, outside, offset, buffer.length - offset - payload.length);
        assertArrayEquals(untouched, outside, "bytes outside the range are left alone");
    }

    @Property(tries = 200)
    void aPayloadUnmaskedInChunksEqualsOneUnmaskedWhole(@ForAll @Size(min = 1, max = 300) byte[] payload,
                                                        @ForAll @Size(4) byte[] key,
                                                        @ForAll @IntRange(min = 1, max = 17) int chunk) {
        byte[] whole = payload.clone();
        Masking.unmask(whole, 0, whole.length, key, 0);
        byte[] chunked = payload.clone();
        for (int at = 0; at < chunked.length; at += chunk) {
            Masking.unmask(chunked, at, Math.min(chunk, chunked.length - at), key, at);
        }
        assertArrayEquals(whole, chunked);
        assertArrayEquals(maskedOneByOne(payload, key, 0), whole);
    }
}
