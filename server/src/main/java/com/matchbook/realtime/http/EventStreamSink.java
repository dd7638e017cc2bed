package com.matchbook.realtime.http;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.sse.SseSink;

import com.matchbook.realtime.hub.FrameSink;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.OutFrame;

/**
 * The SSE fallback's side of a connection: message frames become events whose {@code id:} is the seq (so
 * {@code Last-Event-ID} resumes exactly like {@code since}); other frames become events named by their type; pings
 * become comments. Binary messages travel as JSON with their payload in base64, as the history endpoint gives them.
 */
final class EventStreamSink implements FrameSink {
    private final SseSink sse;
    private final CountDownLatch ended = new CountDownLatch(1);

    EventStreamSink(SseSink sse) {
        this.sse = sse;
    }

    @Override
    public void write(List<OutFrame> frames) {
        try {
            for (OutFrame f : frames) {
                SseEvent event = event(f);
                if (event != null) {
                    sse.emit(event);
                }
            }
        } catch (RuntimeException e) {
            ended.countDown();
            throw e;
        }
    }

    @Override
    public void close(int code, String reason) {
        try {
            sse.emit(SseEvent.builder().name("close")
                             .data("{\"code\":" + code + ",\"reason\":\"" + reason.replace("\"", "'") + "\"}")
                             .build());
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void terminate() {
        ended.countDown();
    }

    /** Blocks the request's thread for as long as the stream lives: Helidon ends the response when it returns. */
    void awaitEnd() throws InterruptedException {
        while (!ended.await(1, TimeUnit.MINUTES)) {
            // wait on; the keepalive's pings fail the stream when the client has gone
        }
    }

    private static SseEvent event(OutFrame f) {
        return switch (f.kind()) {
            case PING -> SseEvent.builder().comment("ping").build();
            case PONG -> null;
            case BINARY -> SseEvent.builder().id(Long.toString(f.message().seq()))
                    .data(Frames.historyJson(f.message())).build();
            case TEXT -> f.isMessage()
                    ? SseEvent.builder().id(Long.toString(f.message().seq())).data(f.text()).build()
                    : SseEvent.builder().name(type(f.text())).data(f.text()).build();
        };
    }

    /** The frame's type, read from the start of our own encoding: {@code {"type":"welcome",...}}. */
    private static String type(String json) {
        int start = json.indexOf("\"type\":\"");
        if (start < 0) {
            return "message";
        }
        start += 8;
        int end = json.indexOf('"', start);
        return end < 0 ? "message" : json.substring(start, end);
    }
}
