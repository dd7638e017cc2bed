package com.matchbook.realtime.ws.wire;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import io.helidon.common.socket.PeerInfo;
import io.helidon.http.Headers;
import io.helidon.webserver.ConnectionContext;

/**
 * What one WebSocket route allows on the wire.
 *
 * @param maxTextBytes   largest text message in bytes, counted on the whole message after reassembly and inflation
 *                       (PROTOCOL.md "Frames": limits apply to the whole message); over it: close 1009
 * @param maxBinaryBytes largest binary message in bytes, counted the same way; over it: close 1009
 * @param compression    whether a {@code permessage-deflate} offer (RFC 7692) is accepted
 * @param afterUpgrade   run once on the connection's thread right after the 101 is written, before the first frame
 *                       is read: the place to set what an upgraded socket needs instead of HTTP's settings (for
 *                       example its read timeout, which must not stay the request-head timeout)
 * @param clientAddress  the client's address as logs and per-address limits name it, from the socket's peer and the
 *                       upgrade's headers (behind a trusted proxy, the address it forwards); by default the peer's
 * @param loops          the selector threads that read this route's connections, or empty: a virtual thread per
 *                       connection reads it (the default)
 */
public record WirePolicy(long maxTextBytes, long maxBinaryBytes, boolean compression,
                         Consumer<ConnectionContext> afterUpgrade, BiFunction<PeerInfo, Headers, String> clientAddress,
                         Optional<WireLoops> loops) {

    public WirePolicy {
        if (maxTextBytes <= 0 || maxBinaryBytes <= 0) {
            throw new IllegalArgumentException("message limits must be positive");
        }
    }

    /** Limits and compression only, nothing to do after the upgrade. */
    public static WirePolicy of(long maxTextBytes, long maxBinaryBytes, boolean compression) {
        return new WirePolicy(maxTextBytes, maxBinaryBytes, compression, ctx -> { }, (peer, headers) -> peer.host(),
                              Optional.empty());
    }

    /** The same policy with {@code hook} run after the upgrade (replacing any earlier one). */
    public WirePolicy withAfterUpgrade(Consumer<ConnectionContext> hook) {
        return new WirePolicy(maxTextBytes, maxBinaryBytes, compression, hook, clientAddress, loops);
    }

    /** The same policy with the client's address taken by {@code address} (replacing any earlier way). */
    public WirePolicy withClientAddress(BiFunction<PeerInfo, Headers, String> address) {
        return new WirePolicy(maxTextBytes, maxBinaryBytes, compression, afterUpgrade, address, loops);
    }

    /** The same policy with its connections read by {@code selectors} instead of a thread each. */
    public WirePolicy withLoops(WireLoops selectors) {
        return new WirePolicy(maxTextBytes, maxBinaryBytes, compression, afterUpgrade, clientAddress,
                              Optional.of(selectors));
    }

    /**
     * The largest frame payload read at all. A compressed frame may be a little larger than what it inflates to
     * (deflate's stored blocks add 5 bytes per 64 KiB), so the largest message plus that overhead.
     */
    long maxFramePayload() {
        long largest = Math.max(maxTextBytes, maxBinaryBytes);
        return largest + largest / 8192 + 1024;
    }
}
