package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

import com.matchbook.realtime.protocol.CloseCodes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a connection's compressed messages inflate to (RFC 7692 7.2.2), with and without the client's context kept
 * (7.1.1.2), while other connections share the pool of inflaters: one connection's message, whole, broken or cut off
 * at its limit, never shows in another's.
 */
class MessageInflaterTest {

    @Test
    void noContextTakeoverConnectionsInterleavedEachGetTheirOwnText() {
        MessageInflater a = new MessageInflater(true);
        MessageInflater b = new MessageInflater(true);
        for (int i = 0; i < 50; i++) {
            byte[] fromA = alone("alice says hello number " + i + ", ".repeat(i % 7));
            byte[] fromB = alone("bob answers " + i + " with a longer line of text than alice's");
            Collect outA = new Collect();
            Collect outB = new Collect();
            int half = fromA.length / 2;
            a.inflate(fromA, 0, half, outA);                 // A's message is open ...
            b.inflate(fromB, 0, fromB.length, outB);         // ... while B's runs from start to end
            b.endMessage(outB);
            a.inflate(fromA, half, fromA.length - half, outA);
            a.endMessage(outA);
            assertEquals("alice says hello number " + i + ", ".repeat(i % 7), outA.text());
            assertEquals("bob answers " + i + " with a longer line of text than alice's", outB.text());
        }
    }

    @Test
    void aBrokenMessageIsClosedWith1007AndLeavesNothingForTheNextConnection() {
        for (int i = 0; i < 20; i++) {   // more than the pool holds, so later connections get reused inflaters
            MessageInflater broken = new MessageInflater(true);
            byte[] reservedBlockType = {0x07, 0x00, 0x00};   // BFINAL 1, BTYPE 11: RFC 1951 3.2.3 reserves it
            ProtocolViolation v = assertThrows(ProtocolViolation.class,
                    () -> broken.inflate(reservedBlockType, 0, reservedBlockType.length, new Collect()));
            assertEquals(CloseCodes.INVALID_PAYLOAD, v.closeCode());
            broken.release();   // the connection ends

            MessageInflater cutOff = new MessageInflater(true);
            byte[] half = alone("this message's client goes away halfway through it");
            cutOff.inflate(half, 0, half.length / 2, new Collect());
            cutOff.release();   // dropped in the middle of a message

            MessageInflater next = new MessageInflater(true);
            Collect out = new Collect();
            byte[] clean = alone("a clean message " + i);
            next.inflate(clean, 0, clean.length, out);
            next.endMessage(out);
            assertEquals("a clean message " + i, out.text());
        }
    }

    @Test
    void aMessageStoppedAtItsLimitLeavesNothingForTheNextConnection() {
        byte[] big = alone("x".repeat(100_000));
        MessageInflater bomber = new MessageInflater(true);
        Collect capped = new Collect(1_000);
        assertThrows(ProtocolViolation.class, () -> bomber.inflate(big, 0, big.length, capped));
        bomber.release();

        MessageInflater next = new MessageInflater(true);
        Collect out = new Collect();
        byte[] clean = alone("after the limit");
        next.inflate(clean, 0, clean.length, out);
        next.endMessage(out);
        assertEquals("after the limit", out.text());
    }

    @Test
    void aClientThatKeepsItsContextMayReferToItsEarlierMessages() {
        // One compressor for the connection's lifetime (RFC 7692 7.2.3.2): the second message's repeat of the first
        // is sent as a back-reference, which only this connection's own inflater can resolve.
        Deflater context = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        MessageInflater keeps = new MessageInflater(false);
        MessageInflater other = new MessageInflater(true);
        String line = "a line that the second message repeats word for word";
        for (String text : new String[] {line, line + " " + line}) {
            byte[] m = next(context, text);
            Collect noise = new Collect();   // another connection's message in between, through the pool
            byte[] o = alone("someone else entirely");
            other.inflate(o, 0, o.length, noise);
            other.endMessage(noise);
            Collect out = new Collect();
            keeps.inflate(m, 0, m.length, out);
            keeps.endMessage(out);
            assertEquals(text, out.text());
        }
        assertEquals(true, next(context, line).length < 20, "the repeat went as a back-reference");
        context.end();
        keeps.release();
    }

    @Test
    void theRfcExamplesInflateToTheirText() {
        // RFC 7692 7.2.3.1 (one compressed block), 7.2.3.3 (one stored block), 7.2.3.5 (two blocks in one message)
        for (String hex : new String[] {"f2 48 cd c9 c9 07 00", "00 05 00 fa ff 48 65 6c 6c 6f 00",
                                        "f2 48 05 00 00 00 ff ff ca c9 c9 07 00"}) {
            assertEquals(List.of("Hello"), inflateAll(new MessageInflater(true), hex));
        }
        // 7.2.3.2: with context takeover the second "Hello" is a back-reference into the first
        assertEquals(List.of("Hello", "Hello"),
                     inflateAll(new MessageInflater(false), "f2 48 cd c9 c9 07 00", "f2 00 11 00 00"));
    }

    @Test
    void aMessageThatEndsItsStreamWithAFinalBlockIsFollowedByANewStream() {
        // 7.2.3.4: "Hello" in a final block (BFINAL), then the first byte of an empty stored block; the messages that
        // follow start a new stream, whether the connection keeps its context or not.
        String finalBlock = "f3 48 cd c9 c9 07 00 00";
        String syncFlushed = "f2 48 cd c9 c9 07 00";
        for (boolean noContextTakeover : new boolean[] {false, true}) {
            assertEquals(List.of("Hello", "Hello", "Hello", "Hello"),
                         inflateAll(new MessageInflater(noContextTakeover), finalBlock, syncFlushed, finalBlock,
                                    syncFlushed));
        }
        // A final block with nothing after it (no empty stored block's byte) is understood as well.
        assertEquals(List.of("Hello", "Hello"),
                     inflateAll(new MessageInflater(false), "f3 48 cd c9 c9 07 00", syncFlushed));
        // 7.2.1: blocks after a final one in the same message are a new stream, and part of the message.
        byte[] world = alone(" world");
        String both = "f3 48 cd c9 c9 07 00 " + HexFormat.ofDelimiter(" ").formatHex(world);
        assertEquals(List.of("Hello world", "Hello"), inflateAll(new MessageInflater(false), both, syncFlushed));
    }

    /** Each hex string is one message's payload, inflated in turn by the same connection's inflater. */
    private static List<String> inflateAll(MessageInflater inflater, String... messages) {
        List<String> texts = new ArrayList<>();
        for (String hex : messages) {
            byte[] payload = HexFormat.ofDelimiter(" ").parseHex(hex);
            Collect out = new Collect();
            inflater.inflate(payload, 0, payload.length, out);
            inflater.endMessage(out);
            texts.add(out.text());
        }
        inflater.release();
        return texts;
    }

    /** A message compressed on its own, as a client_no_context_takeover sender does, with 7.2.1's tail removed. */
    private static byte[] alone(String text) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] m = next(d, text);
        d.end();
        return m;
    }

    /** The next message from a compressor whose context carries over (7.2.1: sync flush, tail removed). */
    private static byte[] next(Deflater d, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        d.setInput(data);
        byte[] out = new byte[data.length + 64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        return Arrays.copyOf(out, n - 4);
    }

    /** A sink that keeps what it is given (copying it: the chunk is the inflater's), up to a limit. */
    private static final class Collect implements MessageInflater.Sink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int limit;

        Collect() {
            this(Integer.MAX_VALUE);
        }

        Collect(int limit) {
            this.limit = limit;
        }

        @Override
        public void accept(byte[] b, int offset, int length) {
            if (bytes.size() + length > limit) {
                throw new ProtocolViolation(CloseCodes.TOO_BIG, "over the limit");
            }
            bytes.write(b, offset, length);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
