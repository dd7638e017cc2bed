package com.matchbook.realtime;

import java.lang.System.Logger.Level;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.socket.SocketOptions;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import com.matchbook.realtime.admin.AdminService;
import com.matchbook.realtime.http.ApiService;
import com.matchbook.realtime.http.ClientConfigService;
import com.matchbook.realtime.http.DevTokenService;
import com.matchbook.realtime.http.JsonDirectHandler;
import com.matchbook.realtime.http.ErrorResponses;
import com.matchbook.realtime.http.EventStreamService;
import com.matchbook.realtime.http.SecurityHeaders;
import com.matchbook.realtime.http.SendMessageService;
import com.matchbook.realtime.http.UpgradeRequiredService;
import com.matchbook.realtime.http.UsersService;
import com.matchbook.realtime.limits.GuardedListener;
import com.matchbook.realtime.limits.TrustedProxies;
import com.matchbook.realtime.ws.EchoEndpoint;
import com.matchbook.realtime.ws.WsEndpointFactory;
import com.matchbook.realtime.ws.wire.UpgradeTokenCase;
import com.matchbook.realtime.ws.wire.WirePolicy;
import com.matchbook.realtime.ws.wire.WireRoute;

/**
 * The endpoint table: every HTTP route, the WebSocket endpoint and the static mount, in one place. {@code Main} and
 * the tests both call {@link #setup}.
 */
public final class ServerSetup {
    private static final System.Logger LOG = System.getLogger(ServerSetup.class.getName());

    private ServerSetup() {
    }

    public static void setup(WebServerConfig.Builder server, Realtime app) {
        Settings settings = app.settings();
        // Small frames must leave at once: with Nagle on, a frame can wait for the peer's delayed ACK (~40 ms).
        SocketOptions.Builder socket = SocketOptions.builder();
        server.connectionOptions().ifPresent(socket::from);
        server.connectionOptions(socket.tcpNoDelay(true).build());
        // Stream sockets, not Helidon's NIO wrapper: that one keeps two 8 KiB buffers per connection where this keeps
        // one (cut to 1 KiB by limits.SocketReadBuffer), and it writes in 8 KiB pieces, while the outbox relies on one
        // write putting a whole batch out at once.
        server.useNio(false);
        TrustedProxies proxies = app.connectionGuard().trustedProxies();
        WirePolicy wire = WirePolicy.of(settings.maxTextBytes(), WsEndpointFactory.maxFrameLength(settings), settings.compression())
                .withClientAddress((peer, headers) -> proxies.client(peer, headers).getHostAddress());
        if (app.wireLoops().isPresent()) {
            wire = wire.withLoops(app.wireLoops().get());
            LOG.log(Level.INFO, "event=ws-selectors threads=" + app.wireLoops().get().threads());
        }
        WsRouting.Builder sockets = WsRouting.builder().endpoint("/ws", WireRoute.of(wire, app.endpoints()));
        if (settings.conformanceEcho()) {
            EchoEndpoint echo = new EchoEndpoint();
            sockets.endpoint("/echo", WireRoute.of(wire, () -> echo));
            LOG.log(Level.WARNING, "event=conformance-echo-enabled: GET /echo echoes every message. For test suites only.");
        }
        // Helidon's answers before routing: the contract's JSON body, saying what is wrong (Helidon passes its message
        // to the handler only with include-entity on, and then only the ones it marks safe).
        server.directHandlers(JsonDirectHandler.all())
                .errorHandling(e -> e.includeEntity(true));
        server.shutdownHook(false)   // Main drains sockets with 1001 before the server stops
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(WsEndpointFactory.maxFrameLength(settings)).build())
                // RFC 6455 4.2.1: "Upgrade: WebSocket" is the same token; Helidon looks it up by exact value.
                .addProtocol(Http1Config.builder().addReceiveListener(new UpgradeTokenCase()).build())
                .routing(routing -> routing(routing, app))
                .addRouting(sockets)
                .addFeature(observe(app))
                .addFeature(StaticContentFeature.builder()
                                    .addClasspath(cp -> cp.location("web").context("/").welcome("index.html"))
                                    // docs/openapi.yaml, asyncapi.yaml and protocol.md, copied in by server/pom.xml
                                    .addClasspath(cp -> cp.location("docs").context("/docs")
                                            .putContentType("yaml", MediaTypes.create("application/yaml"))   // RFC 9512
                                            .putContentType("md", MediaTypes.create("text/markdown")))       // RFC 7763
                                    .build());
        // Last: the guard takes the HTTP/1 settings and upgrade protocols configured above (issue 11).
        GuardedListener.install(server, app.connectionGuard());
        ServerMetrics.registerConnections(app.connectionGuard());
    }

    static void routing(HttpRouting.Builder routing, Realtime app) {
        EventStreamService events = new EventStreamService(app.hub(), app.access());
        routing.addFilter(GuardedListener.filter(app.connectionGuard()));   // first: it sees every routed response end
        routing.addFilter(new SecurityHeaders())
                .register("/send-message", new SendMessageService(app.delivery(), app.settings(), app.access(),
                                                                  app.sendRate(),
                                                                  app.connectionGuard().trustedProxies()))
                .get("/api/client-config", ClientConfigService.of(app.settings(), app.access()))
                .register("/api/users", new UsersService(app.delivery(), app.presence(), app.access(), app.settings()))
                .register("/api", new ApiService(app.delivery(), app.settings(), app.access(), app::statsJson,
                                                   app::clusterStats, app.nodeId()))
                .get("/events", events)
                .get("/api/sse", events)
                .get("/ws", new UpgradeRequiredService())
                .register("/api/admin", new AdminService(app.operator(), app.access(), app.nodeId(),
                                                         app.settings().broker().equals("redis")
                                                                 ? "redis pub/sub" : "single node"))
                .get("/admin", (req, res) -> res.reroute("/admin.html"))
                .get("/console", (req, res) -> res.reroute("/console.html"));
        if (app.settings().devTokens() && app.access().tokens().isPresent()) {
            LOG.log(Level.WARNING, "event=dev-tokens-enabled: GET /dev/token hands out tokens to anyone. Never in production.");
            routing.get("/dev/token", new DevTokenService(app.access().tokens().get()));
        }
        ErrorResponses.register(routing);
    }

    private static ObserveFeature observe(Realtime app) {
        return ObserveFeature.builder()
                .endpoint("/")
                .addObserver(HealthObserver.builder()
                                     .details(true)
                                     .addCheck(() -> HealthCheckResponse.builder()
                                                       .status(app.ready() && app.connectionGuard().listening())
                                                       .detail("store", app.settings().historyStore())
                                                       .build(),
                                               HealthCheckType.READINESS, "store")
                                     .build())
                .addObserver(MetricsObserver.create())
                .build();
    }
}
