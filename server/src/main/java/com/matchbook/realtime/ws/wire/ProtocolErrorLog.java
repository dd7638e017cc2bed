package com.matchbook.realtime.ws.wire;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Logs clients' protocol errors as one line each, without a stack trace, at a bounded rate per address: the first
 * error from an address in an interval is logged, later ones only counted, and the count is logged with the first
 * error of a later interval. A client that sends garbage in a loop cannot grow the log faster than one line per
 * interval.
 */
public final class ProtocolErrorLog {
    private static final System.Logger LOG = System.getLogger(ProtocolErrorLog.class.getName());
    /** Past this many addresses the table is cleared: memory stays bounded under a flood from many addresses. */
    private static final int MAX_ADDRESSES = 10_000;

    private final long intervalNanos;
    private final Map<String, long[]> byAddress = new HashMap<>();   // address -> {interval start, suppressed}

    /** @param interval how often one address may produce a log line */
    public ProtocolErrorLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Records one error; logs it unless this address was logged within the interval. */
    public void record(String address, int closeCode, String reason) {
        long now = System.nanoTime();
        long suppressed;
        synchronized (byAddress) {
            long[] state = byAddress.get(address);
            if (state != null && now - state[0] < intervalNanos) {
                state[1]++;
                return;
            }
            if (state == null && byAddress.size() >= MAX_ADDRESSES) {
                byAddress.clear();
            }
            suppressed = state == null ? 0 : state[1];
            byAddress.put(address, new long[] {now, 0});
        }
        LOG.log(Level.INFO, "event=ws-protocol-error peer=" + address + " code=" + closeCode + " reason=\"" + reason
                + "\"" + (suppressed > 0 ? " suppressed-since-last=" + suppressed : ""));
    }
}
