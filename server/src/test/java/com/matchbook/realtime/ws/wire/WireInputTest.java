package com.matchbook.realtime.ws.wire;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.helidon.common.buffers.DataReader;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fallback input (TLS, or a socket that cannot be taken over) reads through Helidon's reader, same contract. */
class WireInputTest {

    @Test
    void helidonsReaderGivesTheSameBytesAndTheSameEnd() {
        Deque<byte[]> reads = new ArrayDeque<>(List.of(new byte[] {(byte) 0x81, 5}, new byte[] {1, 2, 3},
                                                       new byte[] {4, 5, 6, 7}));
        WireInput input = WireInput.over(new DataReader(reads::poll));   // null: the end of the stream
        assertEquals(0x81, input.read());   // unsigned, as a frame header's first byte must be
        assertEquals(5, input.read());
        assertArrayEquals(new byte[] {1, 2}, input.readBytes(2));
        assertEquals(1, input.awaitAvailable());
        input.skip(1);
        assertArrayEquals(new byte[] {4, 5, 6}, input.readBytes(3));
        assertEquals(7, input.read());
        assertThrows(DataReader.InsufficientDataAvailableException.class, input::read);
    }
}
