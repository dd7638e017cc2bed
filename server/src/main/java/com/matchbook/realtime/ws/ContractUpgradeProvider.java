package com.matchbook.realtime.ws;

import io.helidon.common.Weight;
import io.helidon.common.Weighted;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsUpgradeProvider;

import com.matchbook.realtime.ws.wire.WireUpgrader;

/**
 * Puts the project's WebSocket layer ({@link WireUpgrader}, {@link com.matchbook.realtime.ws.wire.WireConnection})
 * in place of Helidon's, through Helidon's HTTP/1 upgrade SPI: found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services}) and chosen by weight ahead of Helidon's own provider for the same protocol. Why the
 * project reads and writes frames itself is said in {@code WireConnection}'s header. Origins are not refused at the
 * handshake either: {@link Gate} accepts the socket and closes it with 1008 and a reason, which browsers can see.
 */
@Weight(Weighted.DEFAULT_WEIGHT + 10)
public final class ContractUpgradeProvider extends WsUpgradeProvider {

    /** For {@link java.util.ServiceLoader}. */
    public ContractUpgradeProvider() {
    }

    @Override
    public Http1Upgrader create(WsConfig config, ProtocolConfigs configs) {
        return new WireUpgrader(config);
    }
}
