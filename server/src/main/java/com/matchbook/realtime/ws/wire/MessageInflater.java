package com.matchbook.realtime.ws.wire;

import java.util.concurrent.ArrayBlockingQueue;
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
 * {@link Inflater} per message instead costs zlib's native set-up and tear-down (its state and 32 KiB window are
 * allocated afresh) on every message: measured in docs/performance.md, "Inflaters pooled".
 */
final class MessageInflater {
    /** RFC 7692 7.2.2: the sender removed this empty stored block's tail from each message; put it back. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int CHUNK_BYTES = 8192;
    /**
     * Inflaters kept between messages of {@code client_no_context_takeover} connections: as many as messages being
     * inflated at once, so a handful per core; past it they are ended. About 40 KiB of native memory each.
     */
    private static final int POOLED = 16;
    private static final ArrayBlockingQueue<Zlib> POOL = new ArrayBlockingQueue<>(POOLED);

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

    /** @param resetAfterEachMessage the client agreed to {@code client_no_context_takeover}: no state between messages */
    MessageInflater(boolean resetAfterEachMessage) {
        this.resetAfterEachMessage = resetAfterEachMessage;
    }

    /**
     * Inflates a piece of a compressed message's payload.
     *
     * @throws ProtocolViolation 1007 when the bytes are not valid deflate data; whatever the sink throws (1009)
     */
    void inflate(byte[] bytes, int offset, int length, Sink sink) {
        if (zlib == null) {
            zlib = resetAfterEachMessage ? borrow() : Zlib.create();
        }
        Inflater inflater = zlib.inflater();
        if (inflater.finished() && length > 0) {
            // The last message ended its stream with a final block (BFINAL): this one starts a new stream.
            inflater.reset();
        }
        inflater.setInput(bytes, offset, length);
        try {
            while (true) {
                if (inflater.finished()) {
                    int left = inflater.getRemaining();
                    if (left == 0) {
                        break;
                    }
                    // RFC 7692 7.2.1: blocks may follow a final one in the same message, as a new stream (the
                    // example of 7.2.3.4 does: its final block is followed by the first byte of an empty stored one).
                    inflater.reset();
                    inflater.setInput(bytes, offset + length - left, left);
                }
                if (inflater.needsInput()) {
                    break;
                }
                int n = inflater.inflate(zlib.chunk());
                if (n > 0) {
                    sink.accept(zlib.chunk(), 0, n);
                } else if (inflater.needsDictionary()) {
                    throw corrupt();
                }
            }
        } catch (DataFormatException e) {
            throw corrupt();
        }
    }

    /**
     * Ends one message: inflates the removed tail, then, if no context takeover was agreed, gives the inflater back to
     * the pool with its context forgotten.
     */
    void endMessage(Sink sink) {
        if (zlib == null || !zlib.inflater().finished()) {
            // A stream the message closed with a final block and nothing after it needs no tail (7.2.3.4's
            // senders append an empty stored block's first byte, but one that does not is still understood).
            inflate(TAIL, 0, TAIL.length, sink);
        }
        if (resetAfterEachMessage) {
            Zlib done = zlib;
            zlib = null;
            giveBack(done);
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

    private static Zlib borrow() {
        Zlib z = POOL.poll();
        return z != null ? z : Zlib.create();
    }

    private static void giveBack(Zlib z) {
        z.inflater().reset();
        if (!POOL.offer(z)) {
            z.inflater().end();
        }
    }

    private static ProtocolViolation corrupt() {
        return new ProtocolViolation(CloseCodes.INVALID_PAYLOAD, "compressed data is not valid deflate");
    }
}
