package com.matchbook.realtime.ws.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.NotFoundException;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRoute;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsUpgradeException;

import com.matchbook.realtime.Settings;

/**
 * The WebSocket opening handshake (RFC 6455 4.2), decided in one place: the request's shape, then the route's own
 * policy ({@code onHttpUpgrade}, where admission, origin and token are decided), then extensions. A refused upgrade is
 * answered here (400, 426, 503 with Retry-After) and never falls through to HTTP routing, so no second decision can
 * contradict the first. A path that is not a WebSocket route is left to HTTP routing.
 */
public final class WireUpgrader implements Http1Upgrader {
    /** The {@code Upgrade} token, in the case Helidon's lookup uses. */
    public static final String PROTOCOL = "websocket";
    private static final String VERSION = "13";
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION_HEADER = HeaderNames.create("Sec-WebSocket-Version");
    private static final HeaderName EXTENSIONS = HeaderNames.create("Sec-WebSocket-Extensions");
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int KEY_BYTES = 16;

    private final WsConfig config;
    private final ProtocolErrorLog errors = new ProtocolErrorLog(Settings.Timings.PROTOCOL_ERROR_LOG_INTERVAL);

    /** @param config Helidon's WebSocket protocol config: its frame length limits routes without a {@link WireRoute} */
    public WireUpgrader(WsConfig config) {
        this.config = config;
    }

    @Override
    public String supportedProtocol() {
        return PROTOCOL;
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        WsRoute route;
        try {
            route = ctx.router().routing(WsRouting.class, WsRouting.empty()).findRoute(prologue);
        } catch (NotFoundException e) {
            return null;   // not a socket path: HTTP routing answers
        }
        if (prologue.method() != Method.GET) {
            return badHandshake(ctx, "a WebSocket upgrade must use GET (RFC 6455 4.1)");
        }
        // The version first: PROTOCOL.md "Framing and handshake" answers a missing or other version with 426 and the
        // version spoken (RFC 6455 4.2.2), whatever else the request lacks.
        Optional<String> version = headers.first(VERSION_HEADER).map(String::trim);
        if (version.isEmpty() || !version.get().equals(VERSION)) {
            // RFC 9110 15.5.22: a 426 names the protocol to upgrade to.
            return HandshakeAnswer.send(ctx, 426, "Upgrade Required",
                                        Map.of(VERSION_HEADER.defaultCase(), VERSION, "Upgrade", "websocket"),
                                        "upgrade_required", "this server speaks WebSocket version 13 only");
        }
        if (!headers.contains(HeaderNames.CONNECTION) || !connectionHasUpgrade(headers)) {
            return badHandshake(ctx, "Connection must include the token Upgrade (RFC 6455 4.2.1)");
        }
        Optional<String> key = headers.first(KEY).map(String::trim).filter(WireUpgrader::validKey);
        if (key.isEmpty()) {
            return badHandshake(ctx, "Sec-WebSocket-Key must be 16 bytes in base64 (RFC 6455 4.1)");
        }
        WsListener listener = route.listener();
        WirePolicy policy = listener instanceof WireRoute.PolicedListener p ? p.policy()
                : WirePolicy.of(config.maxFrameLength(), config.maxFrameLength(), false);
        Optional<Headers> extra;
        try {
            extra = listener.onHttpUpgrade(prologue, headers);
        } catch (UpgradeRefused r) {
            return HandshakeAnswer.send(ctx, 503, "Service Unavailable",
                                        Map.of(HeaderNames.RETRY_AFTER.defaultCase(), Long.toString(r.retryAfterSeconds())),
                                        "unavailable", r.getMessage());
        } catch (WsUpgradeException e) {
            return badHandshake(ctx, e.getMessage());
        }
        Optional<DeflateParams> deflate = policy.compression()
                ? DeflateParams.negotiate(headers.all(EXTENSIONS, List::of)) : Optional.empty();

        StringBuilder head = new StringBuilder(256)
                .append("HTTP/1.1 101 Switching Protocols\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Accept: ").append(accept(key.get())).append("\r\n");
        deflate.ifPresent(d -> head.append("Sec-WebSocket-Extensions: ").append(d.responseHeader()).append("\r\n"));
        extra.ifPresent(h -> h.forEach(header -> head.append(header.name()).append(": ")
                .append(header.value()).append("\r\n")));
        head.append("\r\n");
        ctx.dataWriter().writeNow(BufferData.create(head.toString().getBytes(StandardCharsets.US_ASCII)));
        String client = policy.clientAddress().apply(ctx.remotePeer(), headers);
        String peer = ctx.remotePeer().host();
        // Everything the headers decide was decided above. Helidon's HTTP/1 loop keeps this map reachable from its
        // stack for the socket's whole life (its frame stays under ours), about 600 bytes per idle connection.
        headers.clear();
        return new WireConnection(ctx, prologue, listener, policy, deflate, errors,
                                  client.equals(peer) ? client : client + " via=" + peer);
    }

    private static ServerConnection badHandshake(ConnectionContext ctx, String message) {
        return HandshakeAnswer.send(ctx, 400, "Bad Request", Map.of(), "bad_handshake", message);
    }

    /** RFC 6455 4.2.1 and RFC 7230 6.1: Connection is a comma-separated token list, compared case-insensitively. */
    private static boolean connectionHasUpgrade(Headers headers) {
        for (String value : headers.all(HeaderNames.CONNECTION, List::of)) {
            for (String token : value.split(",")) {
                if (token.trim().equalsIgnoreCase("upgrade")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == KEY_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 6455 4.2.2: base64 of the SHA-1 of the key and the protocol's GUID. */
    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
