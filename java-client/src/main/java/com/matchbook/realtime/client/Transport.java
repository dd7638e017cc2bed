package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Duration;

import io.helidon.webclient.websocket.WsClient;

/**
 * Helidon's WebSocket client (4.2.0), shared by every attempt of one {@link MatchbookClient}.
 *
 * <p>The upgrade's read timeout stays on the socket after the upgrade, so a quiet connection would be cut by it: it
 * is set far above any heartbeat, and liveness is judged from the server's pings instead (see {@link Connection}).
 */
final class Transport {
    /** Far above any heartbeat; a dead connection is found by the ping deadline long before this. */
    private static final Duration SOCKET_READ_TIMEOUT = Duration.ofHours(1);

    private final WsClient client;

    Transport(Duration connectTimeout) {
        this.client = WsClient.builder()
                .connectTimeout(connectTimeout)
                .readTimeout(SOCKET_READ_TIMEOUT)
                .build();
    }

    /** Blocks until the socket is upgraded (then {@link Socket#onOpen} has been called) or throws. */
    void open(URI uri, Socket socket) {
        client.connect(uri, socket);
    }
}
