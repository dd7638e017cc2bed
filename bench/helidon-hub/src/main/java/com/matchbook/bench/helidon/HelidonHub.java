package com.matchbook.bench.helidon;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The Helidon peer, for diagnosis rather than for the goals: the Netty hub's protocol (welcome, send/ack, message,
 * broadcast and ping frames; {@code GET /health}) on Helidon 4's WebServer and threading model, which Matchbook runs
 * on (one virtual thread per connection, blocking socket reads and writes), with Helidon's own WebSocket where
 * Matchbook has a layer of its own, and with none of Matchbook's work: no store, no limits, no outbox, no JSON tree. What it sustains is the ceiling of that model on
 * this machine, so the distance from it to Matchbook is what Matchbook's own work costs, and the distance from it to
 * the Netty hub is what the model costs. Usage: {@code java -Dport=18096 [-Dnio=true] -jar helidon-hub.jar}. It
 * reads and writes through stream sockets, as Matchbook does ({@code ServerSetup}); {@code -Dnio=true} switches to
 * Helidon's default, its NIO socket wrapper.
 */
public final class HelidonHub {
    private HelidonHub() {
    }

    public static void main(String[] args) {
        int port = Integer.getInteger("port", 18096);
        boolean nio = Boolean.getBoolean("nio");
        Hub hub = new Hub();
        WebServer server = WebServer.builder()
                .useNio(nio)
                .host("127.0.0.1")
                .port(port)
                // As Matchbook and the Netty hub: small frames leave at once instead of waiting for a delayed ACK.
                .connectionOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .routing(r -> r.get("/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"status\":\"UP\"}");
                }))
                .addRouting(WsRouting.builder().endpoint("/ws", () -> new HubListener(hub)))
                .build()
                .start();
        System.out.println("helidon hub listening on " + server.port() + (nio ? " (nio sockets)" : " (stream sockets)"));
    }
}
