package com.matchbook.realtime.ws.wire;

import io.helidon.websocket.WsUpgradeException;

/**
 * Thrown from {@code WsListener.onHttpUpgrade} when the node will not take this socket now (admission rate, drain):
 * the upgrader answers 503 with {@code Retry-After} at once (PROTOCOL.md "Close codes", reconnect storms).
 */
public final class UpgradeRefused extends WsUpgradeException {
    private final long retryAfterSeconds;

    /**
     * @param reason            the human reason, sent in the 503's JSON body
     * @param retryAfterSeconds the {@code Retry-After} value, at least 1
     */
    public UpgradeRefused(String reason, long retryAfterSeconds) {
        super(reason);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;   // a refusal, not a failure
    }
}
