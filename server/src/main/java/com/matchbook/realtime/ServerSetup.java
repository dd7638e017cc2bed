package com.matchbook.realtime;

import com.matchbook.realtime.http.ApiService;
import com.matchbook.realtime.http.ErrorResponses;
import com.matchbook.realtime.http.EventStreamService;
import com.matchbook.realtime.http.SendMessageService;
import com.matchbook.realtime.http.UsersService;
import com.matchbook.realtime.ws.Sockets;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The endpoint table: every HTTP route, the WebSocket endpoint and the static mount, in one place. {@code Main} and
 * the tests both call {@link #setup}.
 */
public final class ServerSetup {
    private ServerSetup() {
    }

    public static void setup(WebServerConfig.Builder server, Realtime app) {
        Settings settings = app.settings();
        server.shutdownHook(false)   // Main drains sockets with 1001 before the server stops
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(Sockets.maxFrameLength(settings)).build())
                .routing(routing -> routing(routing, app))
                .addRouting(WsRouting.builder().endpoint("/ws", app.sockets()))
                .addFeature(observe(app))
                .addFeature(StaticContentFeature.builder()
                                    .addClasspath(cp -> cp.location("web").context("/").welcome("index.html"))
                                    .build());
    }

    static void routing(HttpRouting.Builder routing, Realtime app) {
        EventStreamService events = new EventStreamService(app.replay(), app.hub());
        routing.register("/send-message", new SendMessageService(app.delivery(), app.settings()))
                .register("/api/users", new UsersService(app.delivery(), app.presence()))
                .register("/api", new ApiService(app.delivery(), app.hub(), app.stats(), app.settings()))
                .get("/events", events)
                .get("/api/sse", events)
                .get("/admin", (req, res) -> res.reroute("/admin.html"));
        ErrorResponses.register(routing);
    }

    private static ObserveFeature observe(Realtime app) {
        return ObserveFeature.builder()
                .endpoint("/")
                .addObserver(HealthObserver.builder()
                                     .details(true)
                                     .addCheck(() -> HealthCheckResponse.builder().status(app.ready())
                                                       .detail("store", app.settings().store())
                                                       .build(),
                                               HealthCheckType.READINESS, "store")
                                     .build())
                .addObserver(MetricsObserver.create())
                .build();
    }
}
