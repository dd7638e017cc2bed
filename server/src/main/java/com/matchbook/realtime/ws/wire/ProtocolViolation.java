package com.matchbook.realtime.ws.wire;

/**
 * A client broke a rule of the wire: the connection is failed with {@link #closeCode()} (RFC 6455 7.1.7). Thrown for
 * a client's mistake, so it carries no stack trace: the log gets one line (see {@link ProtocolErrorLog}).
 */
public final class ProtocolViolation extends RuntimeException {
    private final int closeCode;

    /**
     * @param closeCode the contract's close code (1002, 1007 or 1009)
     * @param reason    what was wrong, sent as the close reason (ASCII, under 123 bytes) and logged
     */
    public ProtocolViolation(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    public int closeCode() {
        return closeCode;
    }
}
