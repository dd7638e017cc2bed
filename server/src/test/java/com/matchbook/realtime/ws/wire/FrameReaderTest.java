package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.matchbook.realtime.protocol.CloseCodes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader a selector thread runs ({@link FrameReader#readAvailable}): whatever way the bytes are cut up on arrival,
 * the same messages and control frames come out, and a rule is enforced on the bytes that break it, not once the
 * frame they belong to has all arrived (RFC 6455 8.1 "fail fast" on invalid UTF-8, 5.5 control frames, 5.4
 * fragments interleaved with control frames).
 */
class FrameReaderTest {
    private final List<String> out = new ArrayList<>();
    private int heard;
    private boolean reading = true;
    private final FrameReader reader = new FrameReader(WirePolicy.of(1000, 1000, false), false,
            new MessageAssembler(WirePolicy.of(1000, 1000, false), null), new FrameReader.Frames() {
                @Override
                public void message(MessageAssembler.Message m) {
                    out.add(m.text() != null ? "text:" + m.text() : "binary:" + m.binary().length);
                }

                @Override
                public void control(int opcode, byte[] payload) {
                    out.add("control:" + opcode + ":" + new String(payload, StandardCharsets.UTF_8));
                    if (opcode == FrameHeader.CLOSE) {
                        reading = false;
                    }
                }

                @Override
                public void heard() {
                    heard++;
                }

                @Override
                public boolean reading() {
                    return reading;
                }
            });

    /** A masked client frame: {@code fin} and {@code opcode}, the payload masked with a fixed key. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        }
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i % 4]);
        }
        return f.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return all.toByteArray();
    }

    /** Feeds {@code bytes} in pieces of {@code piece} bytes, reading after each as the loop does. */
    private void feed(byte[] bytes, int piece) {
        MemoryInput memory = new MemoryInput(new byte[0]);
        for (int at = 0; at < bytes.length; at += piece) {
            memory.append(bytes, at, Math.min(piece, bytes.length - at));
            reader.readAvailable(memory);
        }
    }

    @Test
    void theSameMessagesComeOutWhateverTheBytesAreCutInto() {
        String longText = "é".repeat(150);   // 300 bytes: the 16-bit length form, and a two-byte letter per step
        byte[] stream = join(frame(false, FrameHeader.TEXT, utf8("frag")),
                             frame(true, FrameHeader.PING, utf8("between")),   // RFC 6455 5.4: between fragments
                             frame(true, FrameHeader.CONTINUATION, utf8("ments")),
                             frame(true, FrameHeader.TEXT, utf8(longText)),
                             frame(true, FrameHeader.BINARY, new byte[7]),
                             frame(true, FrameHeader.TEXT, new byte[0]));
        List<String> expected = List.of("control:9:between", "text:fragments", "text:" + longText, "binary:7",
                                        "text:");
        for (int piece : new int[] {1, 2, 3, 5, 7, 64, stream.length}) {
            out.clear();
            feed(stream, piece);
            assertEquals(expected, out, "cut into pieces of " + piece);
        }
    }

    @Test
    void invalidUtf8IsRefusedWhenItArrivesNotWhenItsFrameEnds() {
        byte[] payload = join(utf8("hello "), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8(" and the rest of it"));
        byte[] f = frame(true, FrameHeader.TEXT, payload);
        MemoryInput memory = new MemoryInput(new byte[0]);
        int upToTheBadBytes = 2 + 4 + 6 + 2;   // header, mask, "hello ", the two bytes no UTF-8 text holds
        memory.append(f, 0, upToTheBadBytes);
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> reader.readAvailable(memory));
        assertEquals(CloseCodes.INVALID_PAYLOAD, v.closeCode());
        assertTrue(out.isEmpty(), "nothing delivered: " + out);
    }

    @Test
    void aControlFrameOver125BytesIsRefusedFromItsHeaderAlone() {
        byte[] f = frame(true, FrameHeader.PING, new byte[200]);
        MemoryInput memory = new MemoryInput(new byte[0]);
        memory.append(f, 0, 4);   // its header only
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> reader.readAvailable(memory));
        assertEquals(CloseCodes.PROTOCOL_ERROR, v.closeCode());
    }

    @Test
    void aMessageOverTheLimitIsRefusedByTheFrameThatWouldTakeItOverBeforeItsPayload() {
        byte[] fits = frame(true, FrameHeader.TEXT, utf8("x".repeat(1000)));
        MemoryInput memory = new MemoryInput(new byte[0]);
        memory.append(fits, 0, fits.length);
        reader.readAvailable(memory);
        assertEquals(List.of("text:" + "x".repeat(1000)), out, "the limit itself is allowed");
        byte[] first = frame(false, FrameHeader.TEXT, utf8("y".repeat(600)));
        byte[] next = frame(true, FrameHeader.CONTINUATION, utf8("z".repeat(600)));
        memory.append(first, 0, first.length);
        reader.readAvailable(memory);
        memory.append(next, 0, 8);   // the continuation's header and mask: 1,200 bytes in all, none of its payload
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> reader.readAvailable(memory));
        assertEquals(CloseCodes.TOO_BIG, v.closeCode());
    }

    @Test
    void nothingIsReadPastAClose() {
        byte[] stream = join(frame(true, FrameHeader.CLOSE, new byte[] {0x03, (byte) 0xE8}),
                             frame(true, FrameHeader.TEXT, utf8("after")));
        feed(stream, stream.length);
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.getFirst().startsWith("control:8:"), out.toString());
    }

    @Test
    void aSlowUploadIsHeardByteByByte() {
        byte[] f = frame(true, FrameHeader.TEXT, utf8("x".repeat(100)));
        feed(f, 10);
        assertTrue(heard >= 9, "each piece of the payload counts as a sign of life: " + heard);
    }
}
