package com.matchbook.realtime.admin;

/**
 * One second of one node, as the console charts it. Rates are per second over that second; latencies in milliseconds
 * (NaN: nothing measured that second).
 *
 * @param second            epoch second the sample closes
 * @param connections       open connections (WebSocket and SSE)
 * @param users             users with a connection
 * @param sse               of those connections, SSE fallback streams
 * @param messagesIn        messages accepted per second
 * @param messagesOut       message frames written to connections per second
 * @param deliveryP50Ms     delivery latency (accepted to written), median
 * @param deliveryP99Ms     delivery latency, 99th percentile
 * @param commitMs          mean store commit latency (accepted to durable)
 * @param slowConsumers     connections cut with 4008 per second
 * @param refusedAdmission  sockets refused at admission per second (4029 caps, 4000)
 * @param rateLimited       frames cut off by a rate limit per second (4029 on an open socket)
 * @param refusedOrigin     sockets refused for their origin per second (1008)
 * @param refusedToken      sockets refused for their token per second (4001, 4003)
 * @param tcp               the TCP level below them: caps and timeouts ({@code limits/ConnectionGuard})
 */
public record Sample(long second, long connections, long users, long sse, double messagesIn, double messagesOut,
                     double deliveryP50Ms, double deliveryP99Ms, double commitMs, double slowConsumers,
                     double refusedAdmission, double rateLimited, double refusedOrigin, double refusedToken, Tcp tcp) {

    /**
     * One second of TCP connections, before any HTTP or WebSocket handling (issue 11): the events of the sample's
     * interval (nominally one second) as counts, not rates, so that the console can add them up exactly over its
     * window ("3 in the last 15 min"): they come in rare bursts, where a rate over a late tick would lose some. The
     * same counts as {@code matchbook_tcp_refused_total{reason}} and {@code matchbook_tcp_timeouts_total{phase}}.
     *
     * @param open              open TCP connections (HTTP and WebSocket)
     * @param refusedFull       refused with 503: the node at {@code matchbook.limits.max-connections} (the cap that
     *                          keeps the descriptor budget)
     * @param refusedPerAddress refused with 429: the client address at {@code connections-per-address}
     * @param headerTimeouts    closed without a complete request head within {@code header-timeout}
     * @param idleTimeouts      keep-alive connections closed with no next request within {@code header-timeout}
     * @param bodyTimeouts      closed because a request body came slower than the minimum rate
     */
    public record Tcp(long open, long refusedFull, long refusedPerAddress, long headerTimeouts, long idleTimeouts,
                      long bodyTimeouts) {
    }

    /** The SSE fallback's share of connections, percent (0 with no connection). */
    public double sseSharePercent() {
        return connections == 0 ? 0 : 100.0 * sse / connections;
    }
}
