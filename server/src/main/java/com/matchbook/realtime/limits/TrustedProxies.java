package com.matchbook.realtime.limits;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.helidon.common.socket.PeerInfo;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * The client's real address: the peer's own, unless the peer is a configured proxy ({@code matchbook.trusted-proxies},
 * addresses or CIDR blocks), whose forwarding header names the client. Only the nearest untrusted hop counts, read
 * from the right (RFC 7239 section 5.2, {@code Forwarded: for=}; else the de-facto {@code X-Forwarded-For}), so a
 * client cannot choose its own address by sending the header itself through a trusted proxy that appends to it.
 */
public final class TrustedProxies {
    private static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * @param entries {@code 10.0.0.5}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}
     * @throws IllegalArgumentException for an entry that is not a literal address or block
     */
    public static TrustedProxies parse(List<String> entries) {
        return new TrustedProxies(entries.stream().map(Block::parse).toList());
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean trusts(InetAddress address) {
        for (Block b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The client of a request that came from {@code peer} (a socket's far end, as Helidon gives it) with
     * {@code headers}: what every per-address decision and log line uses ({@link #client(InetAddress, Headers)}).
     */
    public InetAddress client(PeerInfo peer, Headers headers) {
        return client(address(peer), headers);
    }

    /** The IP address of a socket's far end; a Unix-domain socket is a local client. */
    public static InetAddress address(PeerInfo peer) {
        if (peer.address() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }

    /**
     * The address to count a request against: {@code peer} itself when it is not a trusted proxy or names no client;
     * else the right-most forwarded address that is not itself a trusted proxy.
     */
    public InetAddress client(InetAddress peer, Headers headers) {
        if (!trusts(peer)) {
            return peer;
        }
        List<String> hops = forwardedHops(headers);
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                return peer;   // "unknown", an obfuscated name or garbage: nothing further left can be trusted
            }
            if (!trusts(hop.get())) {
                return hop.get();
            }
        }
        return peer;
    }

    /** Hops oldest first, from {@code Forwarded} if present, else {@code X-Forwarded-For}. */
    private static List<String> forwardedHops(Headers headers) {
        if (headers.contains(HeaderNames.FORWARDED)) {
            return headers.get(HeaderNames.FORWARDED).allValues(true).stream()
                    .flatMap(element -> Arrays.stream(element.split(";")))
                    .map(String::trim)
                    .filter(pair -> pair.toLowerCase(Locale.ROOT).startsWith("for="))
                    .map(pair -> unquote(pair.substring(4)))
                    .toList();
        }
        if (headers.contains(X_FORWARDED_FOR)) {
            return headers.get(X_FORWARDED_FOR).allValues(true).stream().map(String::trim).toList();
        }
        return List.of();
    }

    /** {@code "[2001:db8::1]:4711"} -> {@code 2001:db8::1}; {@code 192.0.2.60:80} -> {@code 192.0.2.60}. */
    private static String unquote(String node) {
        String n = node.trim();
        if (n.length() >= 2 && n.startsWith("\"") && n.endsWith("\"")) {
            n = n.substring(1, n.length() - 1);
        }
        if (n.startsWith("[")) {
            int end = n.indexOf(']');
            return end < 0 ? n : n.substring(1, end);
        }
        int colon = n.indexOf(':');
        return colon >= 0 && n.indexOf(':', colon + 1) < 0 ? n.substring(0, colon) : n;
    }

    /** A literal IPv4/IPv6 address, never a DNS lookup. */
    static Optional<InetAddress> literal(String text) {
        if (text.isEmpty() || !(Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':')) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(InetAddress.getByName(text));   // only literals reach here: no resolver is asked
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private record Block(byte[] network, int prefixBits) {
        static Block parse(String entry) {
            String e = entry.trim();
            int slash = e.indexOf('/');
            String host = slash < 0 ? e : e.substring(0, slash);
            InetAddress address = literal(host)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "matchbook.trusted-proxies: not an IP address or CIDR block: '" + entry + "'"));
            int max = address.getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(e.substring(slash + 1));
            } catch (NumberFormatException ex) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("matchbook.trusted-proxies: bad prefix length in '" + entry + "'");
            }
            return new Block(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
