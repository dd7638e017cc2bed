package com.matchbook.realtime.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.json.JsonObject;

/**
 * A WebSocket client for tests (the JDK's, which answers pings by itself): collects every frame in arrival order and
 * waits for frames or the close with deadlines.
 */
public final class TestSocket implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    public static final Duration WAIT = Duration.ofSeconds(10);

    /** One received frame: text (parsed) or binary. */
    public record Frame(JsonObject json, byte[] binary) {
        public String type() {
            return json == null ? "binary" : json.getString("type", "");
        }
    }

    /** How the server closed the socket. */
    public record Close(int code, String reason) {
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final java.util.LinkedList<Frame> setAside = new java.util.LinkedList<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private TestSocket(URI uri, Map<String, String> headers) {
        WebSocket.Builder b = CLIENT.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        this.ws = b.buildAsync(uri, new Collector()).join();
    }

    public static TestSocket open(URI uri) {
        return new TestSocket(uri, Map.of());
    }

    public static TestSocket open(URI uri, Map<String, String> headers) {
        return new TestSocket(uri, headers);
    }

    /** Opens and reads the welcome, which must be the first frame. */
    public static TestSocket welcomed(URI uri) {
        TestSocket s = open(uri);
        Frame first = s.next();
        if (!first.type().equals("welcome")) {
            throw new AssertionError("first frame was " + first.json());
        }
        s.welcome = first.json();
        return s;
    }

    private JsonObject welcome;

    public JsonObject welcome() {
        return welcome;
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void sendPart(String text, boolean last) {
        ws.sendText(text, last).join();
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void sendBinaryPart(byte[] bytes, boolean last) {
        ws.sendBinary(ByteBuffer.wrap(bytes), last).join();
    }

    /** The next frame of any type (including pings). */
    public Frame next() {
        if (!setAside.isEmpty()) {
            return setAside.removeFirst();
        }
        try {
            Frame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + WAIT + (closed.isDone() ? "; closed " + closed.join() : ""));
            }
            return f;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next frame of this type. Pings are dropped on the way; other frames are kept for later reads. */
    public JsonObject next(String type) {
        return next(f -> f.type().equals(type)).json();
    }

    public Frame next(Predicate<Frame> wanted) {
        for (java.util.Iterator<Frame> it = setAside.iterator(); it.hasNext(); ) {
            Frame f = it.next();
            if (wanted.test(f)) {
                it.remove();
                return f;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                Frame f = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                if (f == null) {
                    throw new AssertionError("no wanted frame within " + WAIT + "; set aside: " + setAside
                                                     + (closed.isDone() ? "; closed " + closed.join() : ""));
                }
                if (wanted.test(f)) {
                    return f;
                }
                if (!f.type().equals("ping")) {
                    setAside.add(f);
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** Frames already received and not yet read, without waiting. */
    public java.util.List<Frame> drain() {
        java.util.List<Frame> out = new java.util.ArrayList<>(setAside);
        setAside.clear();
        frames.drainTo(out);
        return out;
    }

    /** Waits for the server's close. */
    public Close awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within " + WAIT, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
        }
        ws.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(new Frame(Json.parse(text.toString()), null));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                frames.add(new Frame(null, binary.toByteArray()));
                binary = new java.io.ByteArrayOutputStream();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error)));
        }
    }
}
