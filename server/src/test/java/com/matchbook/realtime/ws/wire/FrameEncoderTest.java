package com.matchbook.realtime.ws.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import com.matchbook.realtime.support.RawSocket;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Uncompressed batches are the frames RFC 6455 5.2 describes, back to back, in one array for one socket write. */
class FrameEncoderTest {

    @Property(tries = 300)
    void aBatchIsTheRfcsFramesInOrder(@ForAll("batches") List<WireFrame> batch) {
        byte[] encoded = FrameEncoder.encode(batch, 0);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (WireFrame f : batch) {
            // the test support's own frame writer (RFC 6455 5.2 as written), unmasked as a server's frames are
            expected.writeBytes(RawSocket.frame(0x80 | f.opcode(), false, f.payload()));
        }
        assertArrayEquals(expected.toByteArray(), encoded);
    }

    @Provide
    Arbitrary<List<WireFrame>> batches() {
        Arbitrary<Integer> opcodes = Arbitraries.of(WireFrame.TEXT, WireFrame.BINARY);
        // every header form and its edges, small frames most often, and batches of many kilobytes
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
}
