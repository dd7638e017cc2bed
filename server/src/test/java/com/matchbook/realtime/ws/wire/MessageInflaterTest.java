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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a connection's compressed messages inflate to (RFC 7692 7.2.2), with and without the client's context kept
 * (7.1.1.2), while other connections share the pool of inflaters: one connection's message, whole, broken or cut off
 * at its limit, never shows in another's. The pool is static, so tests that depend on what it holds first take
 * every pooled inflater out ({@link HeldPool}).
 */
class MessageInflaterTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** RFC 7692 7.2.3.1: "Hello", sync-flushed, its tail removed. */
    private static final String HELLO = "f2 48 cd c9 c9 07 00";
    /** 7.2.3.4: "Hello" in a final block (BFINAL), then the first byte of an empty stored block. */
    private static final String HELLO_FINAL = "f3 48 cd c9 c9 07 00 00";

    @Test
    void noContextTakeoverConnectionsInterleavedEachGetTheirOwnText() {
        MessageInflater a = new MessageInflater(true);
        MessageInflater b = new MessageInflater(true);
        for (int i = 0; i < 50; i++) {
            String textA = "alice says hello number " + i + ", ".repeat(i % 7);
            String textB = "bob answers " + i + " with a longer line of text than alice's";
            byte[] fromA = alone(textA);
            byte[] fromB = alone(textB);
            Collect outA = new Collect();
            Collect outB = new Collect();
            int half = fromA.length / 2;
            a.inflate(fromA, 0, half, outA);                 // A's message is open ...
            b.inflate(fromB, 0, fromB.length, outB);         // ... while B's runs from start to end
            b.endMessage(outB);
            a.inflate(fromA, half, fromA.length - half, outA);
            a.endMessage(outA);
            assertEquals(textA, outA.text());
            assertEquals(textB, outB.text());
        }
    }

    @Test
    void aPooledInflaterForgetsTheLastConnectionsText() {
        // Every pooled inflater has just inflated "Hello" for someone. 7.2.3.2's second message is a back-reference to
        // "Hello": from a connection without context takeover it must fail, not read another connection's text.
        List<MessageInflater> senders = new ArrayList<>();
        for (int i = 0; i <= MessageInflater.POOLED; i++) {
            MessageInflater sender = new MessageInflater(true);
            byte[] hello = HEX.parseHex(HELLO);
            sender.inflate(hello, 0, hello.length, new Collect());
            senders.add(sender);
        }
        for (MessageInflater sender : senders) {
            sender.endMessage(new Collect());   // all given back to the pool, which keeps POOLED of them
        }
        MessageInflater stranger = new MessageInflater(true);
        byte[] reference = HEX.parseHex("f2 00 11 00 00");
        ProtocolViolation v = assertThrows(ProtocolViolation.class, () -> {
            Collect out = new Collect();
            stranger.inflate(reference, 0, reference.length, out);
            stranger.endMessage(out);
        });
        assertEquals(CloseCodes.INVALID_PAYLOAD, v.closeCode());
        stranger.release();
    }

    @Test
    void aBrokenMessageIsClosedWith1007AndItsInflaterIsNotPooled() {
        try (HeldPool held = new HeldPool()) {
            MessageInflater broken = new MessageInflater(true);
            byte[] reservedBlockType = {0x07, 0x00, 0x00};   // BFINAL 1, BTYPE 11: RFC 1951 3.2.3 reserves it
            ProtocolViolation v = assertThrows(ProtocolViolation.class,
                    () -> broken.inflate(reservedBlockType, 0, reservedBlockType.length, new Collect()));
            assertEquals(CloseCodes.INVALID_PAYLOAD, v.closeCode());
            broken.release();   // the connection ends
            assertEquals(0, MessageInflater.pooled(), "ended, not pooled");

            assertEquals(List.of("a clean message"), inflateAll(new MessageInflater(true), alone("a clean message")));
        }
    }

    @Test
    void aConnectionDroppedInTheMiddleOfAMessageLeavesNothingPooled() {
        try (HeldPool held = new HeldPool()) {
            MessageInflater cutOff = new MessageInflater(true);
            byte[] half = alone("this message's client goes away halfway through it");
            cutOff.inflate(half, 0, half.length / 2, new Collect());
            cutOff.release();
            assertEquals(0, MessageInflater.pooled(), "ended, not pooled");

            assertEquals(List.of("a clean message"), inflateAll(new MessageInflater(true), alone("a clean message")));
        }
    }

    @Test
    void aMessageStoppedAtItsLimitLeavesNothingPooled() {
        try (HeldPool held = new HeldPool()) {
            byte[] big = alone("x".repeat(100_000));
            MessageInflater bomber = new MessageInflater(true);
            assertThrows(ProtocolViolation.class, () -> bomber.inflate(big, 0, big.length, new Collect(1_000)));
            bomber.release();
            assertEquals(0, MessageInflater.pooled(), "ended, not pooled");

            assertEquals(List.of("after the limit"), inflateAll(new MessageInflater(true), alone("after the limit")));
        }
    }

    @Test
    void aClientThatKeepsItsContextMayReferToItsEarlierMessages() {
        // One compressor for the connection's lifetime (RFC 7692 7.2.3.2): the second message repeats the first, so
        // it is sent as a back-reference, which only this connection's own inflater can resolve.
        Deflater context = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        MessageInflater keeps = new MessageInflater(false);
        MessageInflater other = new MessageInflater(true);
        String line = "a line that the second message repeats word for word";
        byte[] first = next(context, line);
        byte[] second = next(context, line);
        assertTrue(second.length < 20, "the repeat went as a back-reference: " + second.length + " bytes");
        for (byte[] m : new byte[][] {first, second}) {
            inflateAll(other, alone("someone else entirely"));   // another connection's message in between
            Collect out = new Collect();
            keeps.inflate(m, 0, m.length, out);
            keeps.endMessage(out);
            assertEquals(line, out.text());
        }
        context.end();
        keeps.release();
    }

    @Test
    void theRfcExamplesInflateToTheirTextWhereverTheFramesSplitThem() {
        // 7.2.3.1 (one compressed block), 7.2.3.3 (one stored block), 7.2.3.5 (two blocks in one message),
        // 7.2.3.4 (a final block): split at every byte, as fragments or reads may split them
        for (String hex : new String[] {HELLO, "00 05 00 fa ff 48 65 6c 6c 6f 00",
                                        "f2 48 05 00 00 00 ff ff ca c9 c9 07 00", HELLO_FINAL}) {
            byte[] payload = HEX.parseHex(hex);
            for (int cut = 0; cut <= payload.length; cut++) {
                for (boolean noContextTakeover : new boolean[] {false, true}) {
                    MessageInflater inflater = new MessageInflater(noContextTakeover);
                    Collect out = new Collect();
                    inflater.inflate(payload, 0, cut, out);
                    inflater.inflate(payload, cut, payload.length - cut, out);
                    inflater.endMessage(out);
                    assertEquals("Hello", out.text(), hex + " cut at " + cut);
                    inflater.release();
                }
            }
        }
        // 7.2.3.2: with context takeover the second "Hello" is a back-reference into the first
        assertEquals(List.of("Hello", "Hello"),
                     inflateAll(new MessageInflater(false), HEX.parseHex(HELLO), HEX.parseHex("f2 00 11 00 00")));
    }

    @Test
    void aMessageThatEndsItsStreamWithAFinalBlockIsFollowedByANewStream() {
        byte[] helloFinal = HEX.parseHex(HELLO_FINAL);
        byte[] hello = HEX.parseHex(HELLO);
        byte[] bareFinal = HEX.parseHex("f3 48 cd c9 c9 07 00");   // no empty stored block's byte after it
        for (boolean noContextTakeover : new boolean[] {false, true}) {
            assertEquals(List.of("Hello", "Hello", "Hello", "Hello"),
                         inflateAll(new MessageInflater(noContextTakeover), helloFinal, hello, helloFinal, hello));
            assertEquals(List.of("Hello", "Hello", "Hello"),
                         inflateAll(new MessageInflater(noContextTakeover), bareFinal, bareFinal, hello));
        }
        // A final block whose last bits arrive only with the 4-byte tail (its end-of-block code's zeros): the stream
        // ends inside the tail, whose rest must start nothing, or the next message would be read as its continuation.
        for (String endsInTail : new String[] {"f3 48 cd c9 c9 07", "03"}) {
            List<String> texts = inflateAll(new MessageInflater(false), HEX.parseHex(endsInTail), hello);
            assertEquals("Hello", texts.get(1), endsInTail);
        }
        // 7.2.1: blocks after a final one in the same message belong to it, here as a new stream
        byte[] world = alone(" world");
        byte[] both = Arrays.copyOf(bareFinal, bareFinal.length + world.length);
        System.arraycopy(world, 0, both, bareFinal.length, world.length);
        assertEquals(List.of("Hello world", "Hello"), inflateAll(new MessageInflater(false), both, hello));
    }

    @Test
    void aMessageOfManyStreamsIsRefusedWith1009() {
        // Each empty final block (03 00) is a stream of its own: cheap to send, a reset of zlib's state to read.
        byte[] few = HEX.parseHex("03 00 ".repeat(MessageInflater.MAX_STREAMS_PER_MESSAGE).strip());
        // the count starts again with each message
        assertEquals(List.of("", "", "Hello"), inflateAll(new MessageInflater(false), few, few, HEX.parseHex(HELLO)));
        byte[] many = HEX.parseHex("03 00 ".repeat(MessageInflater.MAX_STREAMS_PER_MESSAGE + 1).strip());
        MessageInflater inflater = new MessageInflater(true);
        ProtocolViolation v = assertThrows(ProtocolViolation.class,
                () -> inflater.inflate(many, 0, many.length, new Collect()));
        assertEquals(CloseCodes.TOO_BIG, v.closeCode());
        inflater.release();
    }

    @Test
    void emptyMessagesAndOneLargerThanAChunkInflateWhole() {
        StringBuilder long_ = new StringBuilder();
        for (int i = 0; long_.length() < 100_000; i++) {
            long_.append("line ").append(i * 7919 % 10007).append(" of a long message; ");
        }
        for (boolean noContextTakeover : new boolean[] {false, true}) {
            MessageInflater inflater = new MessageInflater(noContextTakeover);
            Collect noPayload = new Collect();
            inflater.endMessage(noPayload);   // a compressed message with no payload bytes at all
            assertEquals("", noPayload.text());
            // an empty message sent as 7.2.3.6's empty fragment (0x00), one of many chunks, one with no payload
            // after it, then a short one on the same connection
            assertEquals(List.of("", long_.toString(), "", "after it"),
                         inflateAll(inflater, HEX.parseHex("00"), alone(long_.toString()), new byte[0],
                                    alone("after it")));
        }
    }

    /** Each payload is one message, inflated in turn by the same connection's inflater, which is then released. */
    private static List<String> inflateAll(MessageInflater inflater, byte[]... messages) {
        List<String> texts = new ArrayList<>();
        for (byte[] payload : messages) {
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

    /**
     * Every inflater the pool holds, taken out by connections whose messages stay open, so that the next one borrowed
     * is whatever a test's connection gave back, or a new one. Closing ends them.
     */
    private static final class HeldPool implements AutoCloseable {
        private final List<MessageInflater> holders = new ArrayList<>();

        HeldPool() {
            byte[] hello = HEX.parseHex(HELLO);
            for (int i = 0; i < MessageInflater.POOLED; i++) {
                MessageInflater holder = new MessageInflater(true);
                holder.inflate(hello, 0, hello.length, new Collect());
                holders.add(holder);
            }
        }

        @Override
        public void close() {
            holders.forEach(MessageInflater::release);
        }
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
