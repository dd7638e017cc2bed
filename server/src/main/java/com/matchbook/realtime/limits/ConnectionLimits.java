package com.matchbook.realtime.limits;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.helidon.config.Config;

import com.matchbook.realtime.Settings;

/**
 * What one node lets in at the TCP level (docs/protocol.md 1.1, configuration keys), read once at start.
 *
 * @param maxConnections  {@code matchbook.limits.max-connections}: open TCP connections (HTTP and WebSocket together);
 *                        past it a new connection gets 503 with Retry-After. Default: derived from the process's
 *                        descriptor limit by {@link DescriptorBudget}
 * @param maxPerAddress   {@code matchbook.limits.connections-per-address}: open connections from one client address
 *                        (default 1000: many people behind one NAT); past it 429 with Retry-After
 * @param headerTimeout   {@code matchbook.limits.header-timeout} (PT10S): a connection that has not sent a complete
 *                        request head in this time is closed; the same bound closes an idle keep-alive connection
 *                        between requests
 * @param trustedProxies  {@code matchbook.trusted-proxies}: addresses or CIDR blocks whose {@code Forwarded} /
 *                        {@code X-Forwarded-For} name the real client; empty (default) trusts no header
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress, Duration headerTimeout,
                               List<String> trustedProxies) {

    public ConnectionLimits {
        trustedProxies = List.copyOf(trustedProxies);
        if (maxConnections < 1) {
            throw new IllegalArgumentException("matchbook.limits.max-connections must be positive");
        }
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("matchbook.limits.connections-per-address must be positive");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("matchbook.limits.header-timeout must be positive");
        }
        TrustedProxies.parse(trustedProxies);   // a typo in an address fails the start, not the first request
    }

    /** Reads the keys under {@code matchbook}; {@code matchbook} is the config node of that name. */
    public static ConnectionLimits from(Config matchbook) {
        return new ConnectionLimits(
                matchbook.get("limits.max-connections").asInt().orElseGet(DescriptorBudget::defaultMaxConnections),
                matchbook.get("limits.connections-per-address").asInt().orElse(1000),
                matchbook.get("limits.header-timeout").as(Duration.class).orElse(Settings.Timings.HEADER_TIMEOUT),
                matchbook.get("trusted-proxies").asString()
                        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList())
                        .orElse(List.of()));
    }
}
