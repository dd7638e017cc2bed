package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Everything the builder collected that the connection needs; timing defaults are the browser client's.
 *
 * @param userId            whose messages these are
 * @param tokens            called before every attempt and shortly before the token expires
 * @param backoff           reconnect delays
 * @param random            jitter source, [0, 1)
 * @param connectTimeout    TCP connect
 * @param handshakeTimeout  from the start of an attempt (token fetch included) to {@code welcome}
 * @param pingGrace         added to the server's {@code heartbeatMs} before a silent connection counts as dead;
 *                          empty: the {@code heartbeatTimeoutMs} of {@code welcome}, or {@link #PING_GRACE} without it
 * @param minUptime         a connection must stay open this long before the backoff starts from 0 again
 * @param tokenRefreshAhead how long before {@code exp} a fresh token is sent in-band
 * @param sendTimeout       a send not acknowledged within this fails with {@link SendException#TIMEOUT}
 */
record ClientOptions(String userId,
                     Optional<Supplier<String>> tokens,
                     Backoff backoff,
                     DoubleSupplier random,
                     Duration connectTimeout,
                     Duration handshakeTimeout,
                     Optional<Duration> pingGrace,
                     Duration minUptime,
                     Duration tokenRefreshAhead,
                     Duration sendTimeout) {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration PING_GRACE = Duration.ofSeconds(10);
    static final Duration MIN_UPTIME = Duration.ofSeconds(5);
    static final Duration TOKEN_REFRESH_AHEAD = Duration.ofSeconds(30);
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
}
