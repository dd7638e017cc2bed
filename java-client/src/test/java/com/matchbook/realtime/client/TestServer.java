package com.matchbook.realtime.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import com.matchbook.realtime.Realtime;
import com.matchbook.realtime.ServerSetup;
import com.matchbook.realtime.Settings;

/**
 * The real server, in process, started the way {@code Main} starts it. Unlike {@code @ServerTest}, it can be stopped
 * and started again on the same port, with the same {@link Realtime} (same history) or a fresh one (a wiped server).
 */
final class TestServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> settings;
    private Realtime realtime;
    private WebServer server;
    private int port;

    private TestServer(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("matchbook.heartbeat-interval", "PT1S");
        all.put("matchbook.heartbeat-timeout", "PT2S");
        all.putAll(overrides);
        this.settings = Map.copyOf(all);
        this.realtime = new Realtime(Settings.of(settings));
    }

    static TestServer start() {
        return start(Map.of());
    }

    static TestServer start(Map<String, String> overrides) {
        TestServer s = new TestServer(overrides);
        s.listen(0);
        return s;
    }

    URI uri() {
        return URI.create("http://localhost:" + port);
    }

    Realtime realtime() {
        return realtime;
    }

    /** Like SIGTERM: every socket gets 1001 with a reconnect hint, then the listener stops. History is kept. */
    void stop() {
        realtime.drain(Duration.ofMillis(200));
        server.stop();
    }

    /** Like a crash: the listener stops without a close frame to anyone. History is kept. */
    void kill() {
        server.stop();
    }

    /** The same port and the same history: a restart of one node. */
    void restart() {
        listen(port);
    }

    /** The same port with empty history: a server whose store was wiped. */
    void restartWiped() {
        realtime.close();
        realtime = new Realtime(Settings.of(settings));
        listen(port);
    }

    /** A second node on another port sharing this one's state, as nodes sharing a broker do. */
    WebServer startSecondNode() {
        WebServerConfig.Builder builder = WebServer.builder().port(0);
        ServerSetup.setup(builder, realtime);
        return builder.build().start();
    }

    /** {@code POST /send-message}; returns the status and body. */
    static HttpResponse<String> post(URI base, String json) {
        return send(HttpRequest.newBuilder(base.resolve("/send-message")), json);
    }

    /** {@code POST /send-message} with {@code Authorization: Bearer}, for a server with auth on. */
    static HttpResponse<String> post(URI base, String json, String token) {
        return send(HttpRequest.newBuilder(base.resolve("/send-message")).header("Authorization", "Bearer " + token),
                    json);
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder, String json) {
        HttpRequest request = builder
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST /send-message failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String json) {
        return post(uri(), json);
    }

    private void listen(int onPort) {
        WebServerConfig.Builder builder = WebServer.builder().port(onPort);
        ServerSetup.setup(builder, realtime);
        server = builder.build().start();
        port = server.port();
    }

    @Override
    public void close() {
        if (server != null && server.isRunning()) {
            stop();
        }
        realtime.close();
    }
}
