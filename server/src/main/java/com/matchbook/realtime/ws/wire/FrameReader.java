package com.matchbook.realtime.ws.wire;

/**
 * Reads a client's frames under every rule of RFC 6455 ({@link FrameRules}) and hands on whole messages and control
 * frames, for both read models of {@link WireConnection}: {@link #readFrame} waits for one whole frame (a thread per
 * connection), {@link #readAvailable} takes what a {@link WireLoop} has read and returns when it needs more. Both
 * check a data frame's payload as its bytes arrive (UTF-8 and the message limits, in {@link MessageAssembler}), so a
 * rule is enforced on the bytes that break it, not once a frame that will never be kept has all arrived.
 *
 * <p>One thread at a time: the connection's reader, or its loop.
 */
final class FrameReader {
    /** Where frames go. Each method may throw {@link ProtocolViolation}; the connection closes with its code. */
    interface Frames {
        /** A whole message: text already checked as UTF-8, or binary; after reassembly and inflation. */
        void message(MessageAssembler.Message m);

        /** A close, ping or pong frame, its payload unmasked (at most 125 bytes, RFC 6455 5.5). */
        void control(int opcode, byte[] payload);

        /** Bytes of a frame arrived: a sign of life for the keepalive, a frame still coming in included. */
        void heard();

        /** Whether frames are still read: false once a close frame was read or the connection is stopping. */
        boolean reading();
    }

    private final WirePolicy policy;
    private final boolean deflate;
    private final MessageAssembler assembler;
    private final Frames frames;

    /** The data frame {@link #readAvailable} is part way through, its mask, and its payload bytes left and read. */
    private FrameHeader partial;
    private byte[] partialMask;
    private long partialLeft;
    private long partialAt;

    /** @param deflate whether permessage-deflate was agreed (RSV1 is then allowed on a message's first frame) */
    FrameReader(WirePolicy policy, boolean deflate, MessageAssembler assembler, Frames frames) {
        this.policy = policy;
        this.deflate = deflate;
        this.assembler = assembler;
        this.frames = frames;
    }

    /** Reads one whole frame from {@code input}, waiting for its bytes as it needs them. */
    void readFrame(WireInput input) {
        FrameHeader h = readHeader(input);
        frames.heard();
        checkHeader(h);
        byte[] mask = input.readBytes(4);
        if (h.control()) {
            byte[] payload = h.length() == 0 ? new byte[0] : input.readBytes((int) h.length());
            Masking.unmask(payload, 0, payload.length, mask, 0);
            frames.control(h.opcode(), payload);
            return;
        }
        beginData(h);
        long remaining = h.length();
        long at = 0;
        while (remaining > 0) {
            int n = (int) Math.min(input.awaitAvailable(), remaining);
            dataPayload(input.readBytes(n), mask, at);
            at += n;
            remaining -= n;
        }
        endData(h);
    }

    /**
     * Reads what {@code memory} holds, frame after frame, while the connection is {@link Frames#reading() reading},
     * and returns when a frame needs bytes that have not come: a control frame once it is whole, a data frame's
     * payload as it comes.
     */
    void readAvailable(MemoryInput memory) {
        while (frames.reading()) {
            if (partial == null) {
                FrameHeader h = memory.header();
                if (h == null) {
                    return;
                }
                checkHeader(h);   // refused by its header: at once
                if (h.control()) {
                    if (!memory.wholeFrame(h)) {
                        return;
                    }
                    readFrame(memory);
                    continue;
                }
                if (!memory.maskHere()) {
                    return;
                }
                memory.skipHeader();
                partialMask = memory.readBytes(4);
                frames.heard();
                beginData(h);
                partial = h;
                partialLeft = h.length();
                partialAt = 0;
            }
            int n = (int) Math.min(memory.available(), partialLeft);
            if (n > 0) {
                dataPayload(memory.readBytes(n), partialMask, partialAt);
                partialAt += n;
                partialLeft -= n;
            }
            if (partialLeft > 0) {
                return;
            }
            FrameHeader whole = partial;
            partial = null;
            endData(whole);
        }
    }

    /** The rules a frame's header alone decides (RFC 6455 5.2, 5.4, 5.5, 5.1; RFC 7692 6), and the frame limit. */
    private void checkHeader(FrameHeader h) {
        FrameRules.opcodeIsDefined(h);
        FrameRules.reservedBitsAreNegotiated(h, deflate, assembler.open());
        FrameRules.controlFramesAreShortAndFinal(h);
        FrameRules.fragmentsFollowTheirMessage(h, assembler.open());
        FrameRules.clientFramesAreMasked(h);
        if (h.length() > policy.maxFramePayload()) {
            throw FrameRules.tooBig("frame", policy.maxFramePayload());
        }
    }

    private void beginData(FrameHeader h) {
        if (h.opcode() != FrameHeader.CONTINUATION) {
            assembler.start(h);
        }
        assembler.expect(h.length());
    }

    /** Part of a data frame's payload, {@code at} bytes into it: unmasked, then checked (UTF-8, limits) at once. */
    private void dataPayload(byte[] chunk, byte[] mask, long at) {
        Masking.unmask(chunk, 0, chunk.length, mask, at);
        assembler.payload(chunk, 0, chunk.length);
        frames.heard();   // a slow upload is still an answer to the keepalive's ping
    }

    private void endData(FrameHeader h) {
        if (h.fin()) {
            frames.message(assembler.finish());
        }
    }

    private static FrameHeader readHeader(WireInput input) {
        int b0 = input.read();
        int b1 = input.read();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (input.read() << 8) | input.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | input.read();
            }
            FrameRules.lengthIsPositive(length);
        }
        return new FrameHeader((b0 & 0x80) != 0, (b0 >>> 4) & 0x7, b0 & 0x0F, (b1 & 0x80) != 0, length);
    }
}
