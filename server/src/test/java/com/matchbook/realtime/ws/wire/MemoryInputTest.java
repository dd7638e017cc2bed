package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a selector thread keeps of a connection's bytes, and when it may hand the frame reader a frame. */
class MemoryInputTest {
    /** A masked client frame (RFC 6455 5.2) with a payload of {@code n} bytes, each header length form by size. */
    private static byte[] frame(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x81);
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)));
            }
        }
        out.writeBytes(new byte[] {1, 2, 3, 4});
        byte[] payload = new byte[n];
        Arrays.fill(payload, (byte) 'x');
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Whether a whole frame is here, as the loop asks it: its header first, then the rest. */
    private static boolean whole(MemoryInput in) {
        FrameHeader h = in.header();
        return h != null && in.wholeFrame(h);
    }

    @Test
    void aFrameIsWholeOnlyWithItsLastByteWhateverTheHeaderForm() {
        for (int size : new int[] {0, 5, 125, 126, 300, 65_535, 65_536}) {
            byte[] f = frame(size);
            int headerBytes = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
            MemoryInput in = new MemoryInput(new byte[0]);
            for (int i = 0; i < f.length - 1; i++) {
                in.append(f, i, 1);
                assertEquals(i + 1 >= headerBytes, in.header() != null, "header of " + size + " after " + (i + 1));
                assertFalse(whole(in), "payload " + size + ", " + (i + 1) + " of " + f.length + " bytes");
            }
            in.append(f, f.length - 1, 1);
            FrameHeader h = in.header();
            assertEquals(size, h.length());
            assertTrue(h.fin() && h.masked() && h.opcode() == FrameHeader.TEXT, h.toString());
            assertTrue(in.wholeFrame(h), "payload " + size + ", every byte");
            assertArrayEquals(Arrays.copyOfRange(f, 0, 2), in.readBytes(2), "peeking consumed nothing");
        }
    }

    @Test
    void aLengthWithItsTopBitSetIsRefusedFromTheHeader() {
        MemoryInput in = new MemoryInput(new byte[0]);
        byte[] top = {(byte) 0x81, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
        in.append(top, 0, top.length);
        ProtocolViolation v = assertThrows(ProtocolViolation.class, in::header);
        assertEquals(1002, v.closeCode());
    }

    @Test
    void bytesReadBeforeTheLoopComeFirstAndFramesFollowInOrder() {
        byte[] first = frame(3);
        byte[] second = frame(200);
        MemoryInput in = new MemoryInput(Arrays.copyOf(first, 4));
        in.append(first, 4, first.length - 4);
        in.append(second, 0, second.length);
        assertTrue(whole(in));
        assertArrayEquals(first, in.readBytes(first.length));
        assertTrue(whole(in));
        assertEquals(second.length, in.available());
        in.skip(second.length);
        assertFalse(whole(in));
    }

    @Test
    void readingPastWhatIsHereIsOurBugAndSaysSo() {
        MemoryInput in = new MemoryInput(new byte[] {1, 2});
        assertThrows(IllegalStateException.class, () -> in.readBytes(3));
        assertEquals(2, in.available(), "nothing consumed by the refused read");
        in.clear();
        assertThrows(IllegalStateException.class, in::read);
        assertThrows(IllegalStateException.class, in::awaitAvailable);
    }

    @Test
    void aDrainedInputKeepsASmallArrayAfterABigFrame() {
        MemoryInput in = new MemoryInput(new byte[0]);
        byte[] big = frame(60_000);
        in.append(big, 0, big.length);
        in.skip(big.length);
        in.append(new byte[] {7}, 0, 1);   // the next byte lands in a fresh small array
        assertEquals(MemoryInput.START_BYTES, in.capacity());
        assertEquals(7, in.read());
    }
}
