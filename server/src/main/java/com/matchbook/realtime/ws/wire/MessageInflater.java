package com.matchbook.realtime.ws.wire;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import com.matchbook.realtime.protocol.CloseCodes;

/**
 * Inflates one connection's compressed messages (RFC 7692 7.2.2), in bounded chunks: each chunk goes to the message's
 * sink, which counts it against the size limit and fails with 1009 as soon as the message is over it. So a "bomb" (a
 * few KB of input that would inflate to gigabytes) costs one chunk of memory and is stopped at the limit.
 */
final class MessageInflater {
    /** RFC 7692 7.2.2: the sender removed this empty stored block's tail from each message; put it back. */
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int CHUNK_BYTES = 8192;

    /** Where inflated bytes go; throws to stop. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    private final boolean resetAfterEachMessage;
    private Inflater inflater;
    private byte[] chunk;

    /** @param resetAfterEachMessage the client agreed to {@code client_no_context_takeover}: no state between messages */
    MessageInflater(boolean resetAfterEachMessage) {
        this.resetAfterEachMessage = resetAfterEachMessage;
    }

    /** Inflates a piece of a compressed message's payload. */
    void inflate(byte[] bytes, int offset, int length, Sink sink) {
        if (inflater == null) {
            inflater = new Inflater(true);
            chunk = new byte[CHUNK_BYTES];
        }
        if (inflater.finished() && length > 0) {
            // A sender may end a message with a final block (BFINAL): the next message is a new stream.
            inflater.reset();
        }
        inflater.setInput(bytes, offset, length);
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n > 0) {
                    sink.accept(chunk, 0, n);
                } else if (inflater.needsDictionary()) {
                    throw corrupt();
                }
            }
        } catch (DataFormatException e) {
            throw corrupt();
        }
    }

    /** Ends one message: inflates the removed tail, then forgets the context if no context takeover was agreed. */
    void endMessage(Sink sink) {
        inflate(TAIL, 0, TAIL.length, sink);
        if (resetAfterEachMessage) {
            release();
        }
    }

    /** Frees the native zlib state; the next message starts afresh. */
    void release() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
            chunk = null;
        }
    }

    private static ProtocolViolation corrupt() {
        return new ProtocolViolation(CloseCodes.INVALID_PAYLOAD, "compressed data is not valid deflate");
    }
}
