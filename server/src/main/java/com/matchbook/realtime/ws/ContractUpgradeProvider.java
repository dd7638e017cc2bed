package com.matchbook.realtime.ws;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.http.Headers;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;
import io.helidon.webserver.websocket.WsUpgrader;

/**
 * Helidon's WebSocket upgrade, with two differences the contract needs, found by weight ahead of Helidon's own:
 * <ul>
 *     <li>A foreign Origin is not refused with 403 at the handshake: browsers would see only 1006. {@link Gate}
 *     accepts the socket and closes it with 1008 and a reason.</li>
 *     <li>A refused upgrade (admission rate, drain) falls through to HTTP routing, where {@code GET /ws} answers
 *     503 with Retry-After; Helidon's routed upgrade would answer a bare 400.</li>
 * </ul>
 * Everything else (key, version, framing) is Helidon's.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class ContractUpgradeProvider extends WsUpgradeProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ContractUpgradeProvider() {
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new ContractUpgrader(config);
    }

    private static final class ContractUpgrader extends WsUpgrader {
        private ContractUpgrader(WsConfig config) {
            super(config);
        }

        @Override
        protected void validateOrigin(Headers headers, String origin) {
            // decided by Gate, after the socket is open, so the client can be told why
        }
    }
}
