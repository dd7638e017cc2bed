package com.matchbook.realtime.client;

/**
 * Where a {@link MatchbookClient} stands. Changed in exactly one place, which tells every {@link StateListener}.
 *
 * <pre>
 * CLOSED --connect()--&gt; CONNECTING --welcome--&gt; OPEN --drop--&gt; RECONNECTING --welcome--&gt; OPEN
 *                          |                                     |
 *                          +--failure--&gt; RECONNECTING            +--1000/1002/1007/1008/4000/4003/4030 or close()--&gt; CLOSED
 * </pre>
 */
public enum ConnectionState {
    /** The first attempt after {@link MatchbookClient#connect()}: no {@code welcome} yet. */
    CONNECTING,
    /** The server's {@code welcome} arrived: frames flow. */
    OPEN,
    /** The connection dropped or an attempt failed: waiting out the backoff or trying again. */
    RECONNECTING,
    /** Not connected and not trying: before {@code connect()}, after {@code close()}, or after a close code that
     * reconnecting cannot fix. */
    CLOSED
}
