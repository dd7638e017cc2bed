package com.matchbook.realtime.client;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * A scripted stand-in for the server, for what the real one cannot be made to do on demand: stay silent, never send
 * {@code welcome}, refuse the upgrade with 503, refuse a token with 4001, take an {@code auth} frame, or drop a
 * connection between storing a send and acknowledging it. Each socket runs {@code onOpen(n, session)} with its number
 * (1, 2, ...), records what it heard, and hands each text frame to {@code onFrame(n, session, text)}.
 */
final class FakeServer implements AutoCloseable {
    static final String WELCOME = "{\"type\":\"welcome\",\"id\":\"bob\",\"connectionId\":\"fake-%d\",\"heartbeatMs\":%d,"
            + "\"lastSeq\":%d,\"replay\":{\"from\":%d,\"to\":%d,\"complete\":%b}}";

    final List<String> queries = new CopyOnWriteArrayList<>();
    final List<String> framesIn = new CopyOnWriteArrayList<>();
    final AtomicInteger pongs = new AtomicInteger();
    /** Every socket's session, in the order they opened, so a test can push frames later. */
    final List<WsSession> sessions = new CopyOnWriteArrayList<>();
    /** The path of every HTTP request, answered or not. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger sockets = new AtomicInteger();
    private final WebServer server;
    private volatile FrameScript onFrame = (n, session, text) -> { };

    /** What a socket does with a text frame from the client. */
    @FunctionalInterface
    interface FrameScript {
        void frame(int socket, WsSession session, String text);
    }

    /**
     * @param onOpen what each socket does when it opens
     * @param http   extra HTTP routes (history, or a 503 at /ws when {@code onOpen} is empty)
     */
    FakeServer(Optional<BiConsumer<Integer, WsSession>> onOpen, Consumer<HttpRouting.Builder> http) {
        var builder = WebServer.builder().port(0).routing(r -> {
            r.addFilter((chain, req, res) -> {
                requests.add(req.path().path());
                chain.proceed();
            });
            http.accept(r);
        });
        onOpen.ifPresent(script -> builder.addRouting(WsRouting.builder().endpoint("/ws", () -> new Socket(script))));
        this.server = builder.build().start();
    }

    static FakeServer sockets(BiConsumer<Integer, WsSession> onOpen) {
        return new FakeServer(Optional.of(onOpen), r -> { });
    }

    static String welcome(int n, long heartbeatMs) {
        return welcome(n, heartbeatMs, 0, 1, 0, true);
    }

    static String welcome(int n, long heartbeatMs, long lastSeq, long from, long to, boolean complete) {
        return WELCOME.formatted(n, heartbeatMs, lastSeq, from, to, complete);
    }

    /** Scripts the answers to the client's frames (sockets opened before this call included). */
    FakeServer onFrame(FrameScript script) {
        this.onFrame = script;
        return this;
    }

    URI uri() {
        return URI.create("http://localhost:" + server.port());
    }

    int socketsOpened() {
        return sockets.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Socket implements WsListener {
        private final BiConsumer<Integer, WsSession> script;
        private int number;

        Socket(BiConsumer<Integer, WsSession> script) {
            this.script = script;
        }

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
            queries.add(prologue.query().rawValue());
            return Optional.empty();
        }

        @Override
        public void onOpen(WsSession session) {
            number = sockets.incrementAndGet();
            sessions.add(session);
            script.accept(number, session);
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            framesIn.add(text);
            onFrame.frame(number, session, text);
        }

        @Override
        public void onPing(WsSession session, BufferData buffer) {
            session.pong(buffer);
        }

        @Override
        public void onPong(WsSession session, BufferData buffer) {
            pongs.incrementAndGet();
        }
    }
}
