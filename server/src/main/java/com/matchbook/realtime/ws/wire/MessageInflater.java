package com.matchbook.realtime.ws.wire;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.matchbook.realtime.protocol.CloseCodes;

/**
 * Inflates one connection's compressed messages (RFC 7692 7.2.2), in bounded chunks: each chunk goes to the message's
 * sink, which counts it against the size limit and fails with 1009 as soon as the message is over it. So a "bomb" (a
 * few KB of input that would inflate to gigabytes) costs one chunk of memory and is stopped at the limit.
 *
 * <p>A client that keeps its context (no {@code client_no_context_takeover}, 7.1.1.2) needs an inflater of its own
 * for the connection's lifetime: its next message may refer back into this one. One that agreed
 * {@code client_no_context_takeover} sends each message as a stream of its own, so its inflater is borrowed from a
 * pool shared by all connections for one message and given back, reset, when the message ends. Making a new
 * {@link Inflater} and 8 KiB output chunk for every message instead cost about 8.3 KB more heap per message (in the
 * benchmark, the server's heap per send fell from 16.5 to 8.2 KB; the CPU difference was within its noise:
 * docs/performance.md, "Inflaters pooled: kept").
 *
 * <p>A message may end a deflate stream with a final block (BFINAL) and go on with another (7.2.1; 7.2.3.4 flushes
 * that way). This implementation starts each such stream with an empty window, which departs from 7.2.2 for a client
 * that keeps its context: an encoder that flushes with final blocks and still refers back into earlier messages gets
 * 1007 (zlib-based encoders, browsers' among them, flush with a sync flush and never do; README, "Compression").
 */
final class MessageInflater {
    /** RFC 7692 7.2.2: the sender removed this empty stored block's tail from each message; put it back. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int CHUNK_BYTES = 8192;
    /**
     * Inflaters kept between messages of {@code client_no_context_takeover} connections; past it they are ended.
     * One is out for every such message open at once (a connection whose message waits for its next frame keeps
     * its own), but only the ones given back are kept: at most this many times about 40 KiB of native memory and
     * the 8 KiB chunk.
     */
    static final int POOLED = 16;
    /**
     * Deflate streams one message may hold (a final block ends each); past this, 1009. Each costs a reset of zlib's
     * state and a call into it for as little as 2 bytes (an empty final block), so this bounds what one message can
     * ask for; how many messages a connection may send is the rate limits' business.
     */
    static final int MAX_STREAMS_PER_MESSAGE = 64;
    private static final ZlibPool<Zlib> POOL = new ZlibPool<>(POOLED, Zlib::create, z -> z.inflater().reset(),
                                                              z -> z.inflater().end());

    /** Where inflated bytes go; throws to stop. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    /** An inflater with its output chunk: the sink copies what it keeps, so the chunk travels with the inflater. */
    private record Zlib(Inflater inflater, byte[] chunk) {
        static Zlib create() {
            return new Zlib(new Inflater(true), new byte[CHUNK_BYTES]);
        }
    }

    private final boolean resetAfterEachMessage;
    /** The connection's inflater; for a no-context-takeover connection only between a message's start and its end. */
    private Zlib zlib;
    /** Whether the current message has given any bytes: a stream begun after them counts against its limit. */
    private boolean inMessage;
    /** Streams the current message has begun after its first. */
    private int streamsAfterFirst;

    /** @param resetAfterEachMessage the client agreed to {@code client_no_context_takeover}: no state between messages */
    MessageInflater(boolean resetAfterEachMessage) {
        this.resetAfterEachMessage = resetAfterEachMessage;
    }

    /**
     * Inflates a piece of a compressed message's payload. After it throws, only {@link #release()} may follow.
     *
     * @throws ProtocolViolation 1007 when the bytes are not valid deflate data; 1009 past
     *         {@link #MAX_STREAMS_PER_MESSAGE}; whatever the sink throws (1009 for a message over its limit, 1007 for
     *         text that is not UTF-8)
     */
    void inflate(byte[] bytes, int offset, int length, Sink sink) {
        inflate(bytes, offset, length, sink, false);
    }

    /**
     * Ends one message: inflates the removed tail, then, if no context takeover was agreed, gives the inflater back to
     * the pool with its context forgotten. A message with no payload at all is an empty one.
     *
     * @throws ProtocolViolation as {@link #inflate}; after it throws, only {@link #release()} may follow
     */
    void endMessage(Sink sink) {
        // A stream the message closed with a final block and nothing after it needs no tail (7.2.3.4's senders
        // append an empty stored block's first byte, but one that does not is still understood). Nor does a message
        // with no payload at all: an empty one is sent as 0x00 (7.2.3.6's empty fragment), but the tail alone would
        // leave a connection that keeps its context inside a stored block's header, and its next message unreadable.
        if (inMessage && !zlib.inflater().finished()) {
            inflate(TAIL, 0, TAIL.length, sink, true);
        }
        inMessage = false;
        streamsAfterFirst = 0;
        if (resetAfterEachMessage && zlib != null) {
            Zlib done = zlib;
            zlib = null;
            POOL.giveBack(done);
        }
    }

    /**
     * Frees the connection's inflater when the connection ends, after a failed message too. One taken back in the
     * middle of a message is ended, not pooled: nothing of a message that failed reaches another connection.
     */
    void release() {
        if (zlib != null) {
            zlib.inflater().end();
            zlib = null;
        }
    }

    /** @param tail the bytes are {@link #TAIL}: if a stream ends inside them, what is left of them starts nothing */
    private void inflate(byte[] bytes, int offset, int length, Sink sink, boolean tail) {
        if (zlib == null) {
            zlib = resetAfterEachMessage ? POOL.borrow() : Zlib.create();
        }
        Inflater inflater = zlib.inflater();
        if (inflater.finished() && length > 0) {
            // The stream ended with a final block at the end of the last piece: these bytes start a new one.
            if (inMessage) {
                countStream();
            }
            inflater.reset();
        }
        inMessage |= length > 0;
        inflater.setInput(bytes, offset, length);
        try {
            while (true) {
                if (inflater.finished()) {
                    int left = inflater.getRemaining();
                    if (left == 0 || tail) {
                        break;
                    }
                    // RFC 7692 7.2.1: blocks may follow a final one in the same message ("the next DEFLATE block
                    // follows the padded data"); here they start a new stream.
                    countStream();
                    inflater.reset();
                    inflater.setInput(bytes, offset + length - left, left);
                }
                // Output zlib still holds is drained before the loop stops for input: otherwise it would come out
                // with the tail, where a stream that ends there would leave the tail's rest behind.
                int n = inflater.inflate(zlib.chunk());
                if (n > 0) {
                    sink.accept(zlib.chunk(), 0, n);
                } else if (inflater.needsDictionary()) {
                    throw corrupt();   // raw deflate has no dictionary to ask for
                } else if (inflater.needsInput()) {
                    break;
                } else if (!inflater.finished()) {
                    throw corrupt();   // no output, no input taken, not finished: zlib can go no further
                }
            }
        } catch (DataFormatException e) {
            throw corrupt();
        }
    }

    private void countStream() {
        if (++streamsAfterFirst >= MAX_STREAMS_PER_MESSAGE) {
            throw new ProtocolViolation(CloseCodes.TOO_BIG, "compressed message of over " + MAX_STREAMS_PER_MESSAGE
                    + " deflate streams");
        }
    }

    /** Inflaters the pool holds now: for tests, which check that a failed message's inflater is not among them. */
    static int pooled() {
        return POOL.idle();
    }

    private static ProtocolViolation corrupt() {
        return new ProtocolViolation(CloseCodes.INVALID_PAYLOAD, "compressed data is not valid deflate");
    }
}
