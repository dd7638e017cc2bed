package com.matchbook.realtime.ws.wire;

import java.nio.charset.StandardCharsets;

import com.matchbook.realtime.protocol.CloseCodes;

/**
 * The rules of RFC 6455 a client frame must follow, one check per rule, each failing with the contract's close code
 * (PROTOCOL.md "Framing and handshake"). Helidon 4.5 checked only the mask and the frame length; see
 * {@link WireConnection} for what it did with the rest.
 */
final class FrameRules {
    /** RFC 6455 5.5: "All control frames MUST have a payload length of 125 bytes or less". */
    static final int MAX_CONTROL_PAYLOAD = CloseCodes.MAX_CLOSE_PAYLOAD_BYTES;

    private FrameRules() {
    }

    /** RFC 6455 5.1: "a client MUST mask all frames that it sends"; the server closes on an unmasked one. */
    static void clientFramesAreMasked(FrameHeader h) {
        if (!h.masked()) {
            throw protocol("unmasked client frame");
        }
    }

    /**
     * RFC 6455 5.2: RSV1-3 "MUST be 0 unless an extension is negotiated that defines meanings for non-zero values".
     * permessage-deflate defines RSV1, on the first frame of a data message only (RFC 7692 6.1).
     */
    static void reservedBitsAreNegotiated(FrameHeader h, boolean deflate, boolean continuing) {
        int allowed = deflate && !h.control() && h.opcode() != FrameHeader.CONTINUATION ? FrameHeader.RSV1 : 0;
        if ((h.rsv() & ~allowed) != 0) {
            throw protocol(continuing && (h.rsv() & FrameHeader.RSV1) != 0 ? "RSV1 set on a continuation frame"
                                   : "reserved bits set without an extension that defines them");
        }
    }

    /** RFC 6455 5.2: opcodes 3-7 and 11-15 are reserved; "If an unknown opcode is received, ... _Fail_". */
    static void opcodeIsDefined(FrameHeader h) {
        switch (h.opcode()) {
            case FrameHeader.CONTINUATION, FrameHeader.TEXT, FrameHeader.BINARY,
                 FrameHeader.CLOSE, FrameHeader.PING, FrameHeader.PONG -> { }
            default -> throw protocol("reserved opcode " + h.opcode());
        }
    }

    /** RFC 6455 5.5: control frames carry at most 125 bytes and "MUST NOT be fragmented". */
    static void controlFramesAreShortAndFinal(FrameHeader h) {
        if (!h.control()) {
            return;
        }
        if (h.length() > MAX_CONTROL_PAYLOAD) {
            throw protocol("control frame over 125 bytes");
        }
        if (!h.fin()) {
            throw protocol("fragmented control frame");
        }
    }

    /**
     * RFC 6455 5.4: the fragments of one message are a first frame, then only continuations; messages do not
     * interleave, so a new text or binary frame while one is open is an error, and so is a continuation with none.
     */
    static void fragmentsFollowTheirMessage(FrameHeader h, boolean messageOpen) {
        if (h.control()) {
            return;
        }
        if (h.opcode() == FrameHeader.CONTINUATION && !messageOpen) {
            throw protocol("continuation frame with no message open");
        }
        if (h.opcode() != FrameHeader.CONTINUATION && messageOpen) {
            throw protocol("new data frame while a fragmented message is open");
        }
    }

    /** RFC 6455 5.2: the 64-bit length form "the most significant bit MUST be 0". */
    static void lengthIsPositive(long length) {
        if (length < 0) {
            throw protocol("frame length with the most significant bit set");
        }
    }

    /**
     * RFC 6455 5.5.1: a close payload is empty or a 2-byte code followed by UTF-8; 7.4: only some codes may be sent
     * (below 1000, 1004-1006, 1015 and 1016-2999 are not for the wire; 1012-1014 are IANA-registered and allowed;
     * 3000-4999 are for libraries and applications; 5000 and above do not exist).
     *
     * @return the code, or empty payload's "no status" ({@link CloseCodes#NO_STATUS})
     */
    static int closePayloadIsValid(byte[] payload) {
        if (payload.length == 0) {
            return CloseCodes.NO_STATUS;
        }
        if (payload.length == 1) {
            throw protocol("close frame with a 1-byte payload");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!closeCodeAllowedOnWire(code)) {
            throw protocol("close code " + code + " is not allowed on the wire");
        }
        Utf8Stream reason = new Utf8Stream();
        reason.feed(payload, 2, payload.length - 2);
        reason.finish();
        return code;
    }

    /** RFC 6455 7.4.1-7.4.2 and the IANA registry: which codes a peer may put in a close frame. */
    static boolean closeCodeAllowedOnWire(int code) {
        if (code >= CloseCodes.FIRST_APPLICATION && code <= CloseCodes.LAST_APPLICATION) {
            return true;
        }
        return code >= CloseCodes.NORMAL && code <= CloseCodes.LAST_REGISTERED
                && code != CloseCodes.RESERVED && code != CloseCodes.NO_STATUS && code != CloseCodes.ABNORMAL;
    }

    static ProtocolViolation protocol(String reason) {
        return new ProtocolViolation(CloseCodes.PROTOCOL_ERROR, reason);
    }

    static ProtocolViolation tooBig(String what, long limit) {
        return new ProtocolViolation(CloseCodes.TOO_BIG, what + " over " + limit + " bytes");
    }

    /** A close reason as the peer sent it (already checked to be UTF-8). */
    static String reason(byte[] payload) {
        return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
}
