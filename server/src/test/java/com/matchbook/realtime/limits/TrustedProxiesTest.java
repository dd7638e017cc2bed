package com.matchbook.realtime.limits;

import java.net.InetAddress;
import java.util.List;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {
    private final TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"));

    @Test
    void blocksMatchByPrefix() throws Exception {
        assertTrue(proxies.trusts(InetAddress.getByName("10.200.1.1")));
        assertTrue(proxies.trusts(InetAddress.getByName("192.0.2.10")));
        assertFalse(proxies.trusts(InetAddress.getByName("192.0.2.11")));
        assertTrue(proxies.trusts(InetAddress.getByName("fd12::1")));
        assertFalse(proxies.trusts(InetAddress.getByName("11.0.0.1")));
    }

    @Test
    void theRightMostUntrustedHopIsTheClient() throws Exception {
        InetAddress proxy = InetAddress.getByName("10.0.0.1");
        assertEquals(address("198.51.100.9"), proxies.client(proxy, headers("X-Forwarded-For",
                "6.6.6.6, 198.51.100.9, 10.0.0.7")), "a hop the client wrote itself (6.6.6.6) is not believed");
        assertEquals(address("2001:db8::5"), proxies.client(proxy, headers("Forwarded",
                "for=6.6.6.6, for=\"[2001:db8::5]:4711\";proto=https")));
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() throws Exception {
        InetAddress stranger = InetAddress.getByName("203.0.113.4");
        assertEquals(stranger, proxies.client(stranger, headers("X-Forwarded-For", "198.51.100.9")));
    }

    @Test
    void anUnknownOrObfuscatedHopStopsTheWalkAtTheProxy() throws Exception {
        InetAddress proxy = InetAddress.getByName("10.0.0.1");
        assertEquals(proxy, proxies.client(proxy, headers("Forwarded", "for=unknown")));
        assertEquals(proxy, proxies.client(proxy, headers("X-Forwarded-For", "evil.example")));
        assertEquals(proxy, proxies.client(proxy, WritableHeaders.create()));
    }

    @Test
    void aBadEntryFailsAtStart() {
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("proxy.example")));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("10.0.0.0/33")));
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static WritableHeaders<?> headers(String name, String value) {
        return WritableHeaders.create().add(HeaderNames.create(name), value);
    }
}
