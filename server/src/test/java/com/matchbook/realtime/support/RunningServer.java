package com.matchbook.realtime.support;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import com.matchbook.realtime.Realtime;
import com.matchbook.realtime.ServerSetup;
import com.matchbook.realtime.Settings;

/** The real server, in-process, on a free port: the same wiring as {@code Main}, with test settings. */
public final class RunningServer implements AutoCloseable {
    private final Realtime app;
    private final WebServer server;

    private RunningServer(Realtime app, WebServer server) {
        this.app = app;
        this.server = server;
    }

    /** Contract defaults with the memory store, overridden by {@code settings}. */
    public static RunningServer start(Map<String, String> settings) {
        return start(settings, 0);
    }

    /**
     * With {@code -Dmatchbook.test.selector-threads=N} (the build's {@code ws-on-threads} run sets 0) every server a
     * test starts reads its WebSockets that way, unless the test sets the key or uses Redis.
     */
    public static RunningServer start(Map<String, String> settings, int port) {
        Map<String, String> all = new HashMap<>(settings);
        String selectors = System.getProperty("matchbook.test.selector-threads", "");
        if (!selectors.isEmpty() && !"redis".equals(all.get("matchbook.broker"))) {
            all.putIfAbsent("matchbook.ws.selector-threads", selectors);
        }
        Realtime app = new Realtime(Settings.of(all));
        WebServerConfig.Builder builder = WebServer.builder().host("127.0.0.1").port(port);
        ServerSetup.setup(builder, app);
        return new RunningServer(app, builder.build().start());
    }

    public Realtime app() {
        return app;
    }

    public int port() {
        return server.port();
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public URI ws(String query) {
        return URI.create("ws://127.0.0.1:" + port() + "/ws" + query);
    }

    /** What SIGTERM does: sockets get 1001, then the server stops. */
    public void drainAndStop(Duration window) {
        app.drain(window);
        server.stop();
        app.close();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
        app.close();
    }
}
