package com.matchbook.realtime.ws.wire;

import java.util.Arrays;

/**
 * The bytes a selector thread ({@link WireLoop}) has read from one connection and the frame reader has not consumed
 * yet. The frame reader pulls from it as from a socket, but it never waits: {@link FrameReader#readAvailable} peeks at
 * the next {@link #header()}, then takes a control frame once it is {@link #wholeFrame whole} and a data frame's
 * payload as it comes; every read past what is here throws {@link IllegalStateException}, a bug of ours and never a client's.
 *
 * <p>Memory: the array starts at {@link #START_BYTES} and grows to what one read brings on top of an unfinished header
 * ({@link WireLoop#READ_BYTES} and a few bytes: payloads are taken as they come); once drained, an array grown past
 * {@link #KEEP_BYTES} is dropped, so an idle connection keeps a small one whatever it sent before.
 */
final class MemoryInput implements WireInput {
    static final int START_BYTES = 256;
    static final int KEEP_BYTES = 4096;

    private byte[] bytes;
    private int position;
    private int limit;
    /** The size of the header {@link #header()} last read: 2, 4 or 10 bytes. */
    private int headerBytes;

    /** @param early bytes read before the connection came to its selector thread (may be empty) */
    MemoryInput(byte[] early) {
        bytes = new byte[Math.max(START_BYTES, early.length)];
        System.arraycopy(early, 0, bytes, 0, early.length);
        limit = early.length;
    }

    /** Appends {@code n} bytes of {@code src} from {@code off}, growing the array when they do not fit. */
    void append(byte[] src, int off, int n) {
        compactIfDrained();
        if (limit + n > bytes.length) {
            int live = limit - position;
            byte[] into = live + n <= bytes.length ? bytes : new byte[Math.max(bytes.length * 2, live + n)];
            System.arraycopy(bytes, position, into, 0, live);
            bytes = into;
            position = 0;
            limit = live;
        }
        System.arraycopy(src, off, bytes, limit, n);
        limit += n;
    }

    /** Drops everything here (what a connection reads after its closing handshake). */
    void clear() {
        position = limit;
        compactIfDrained();
    }

    /** The bytes this holds room for: what an idle connection keeps here. */
    int capacity() {
        return bytes.length;
    }

    int available() {
        return limit - position;
    }

    /**
     * The next frame's header (RFC 6455 5.2) without consuming it, or null while part of it is still to come. Only its
     * length is checked here; {@link FrameReader} applies the other rules to it at once, so that a frame refused by its
     * header alone (close 1002 or 1009) is refused as the blocking reader refuses it, not after a payload it will never
     * keep.
     *
     * @throws ProtocolViolation for a 64-bit length with its top bit set (RFC 6455 5.2)
     */
    FrameHeader header() {
        int avail = limit - position;
        if (avail < 2) {
            return null;
        }
        int b0 = peek(0);
        int b1 = peek(1);
        long length = b1 & 0x7F;
        int size = 2;
        if (length == 126) {
            size = 4;
            if (avail < size) {
                return null;
            }
            length = (peek(2) << 8) | peek(3);
        } else if (length == 127) {
            size = 10;
            if (avail < size) {
                return null;
            }
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | peek(2 + i);
            }
            FrameRules.lengthIsPositive(length);
        }
        headerBytes = size;
        return new FrameHeader((b0 & 0x80) != 0, (b0 >>> 4) & 0x7, b0 & 0x0F, (b1 & 0x80) != 0, length);
    }

    /** Whether the header {@link #header()} just read and a 4-byte mask after it are here. */
    boolean maskHere() {
        return limit - position >= headerBytes + 4;
    }

    /** Consumes the header {@link #header()} just read. */
    void skipHeader() {
        skip(headerBytes);
    }

    /** Whether the whole frame whose {@link #header()} was just read is here: header, mask and payload. */
    boolean wholeFrame(FrameHeader h) {
        return limit - position >= headerBytes + (h.masked() ? 4 : 0) + h.length();
    }

    @Override
    public int read() {
        need(1);
        return bytes[position++] & 0xFF;
    }

    @Override
    public byte[] readBytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(bytes, position, position + n);
        position += n;
        return out;
    }

    @Override
    public int awaitAvailable() {
        need(1);
        return limit - position;
    }

    @Override
    public void skip(int n) {
        need(n);
        position += n;
    }

    private int peek(int i) {
        return bytes[position + i] & 0xFF;
    }

    private void need(int n) {
        if (n < 0 || limit - position < n) {
            throw new IllegalStateException("read of " + n + " bytes with " + (limit - position) + " here");
        }
    }

    private void compactIfDrained() {
        if (position == limit) {
            position = 0;
            limit = 0;
            if (bytes.length > KEEP_BYTES) {
                bytes = new byte[START_BYTES];
            }
        }
    }
}
