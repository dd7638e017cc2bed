package com.matchbook.realtime.http;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.http.sse.SseEvent;
import io.helidon.webserver.sse.SseSink;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.hub.FrameSink;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.OutFrame;

/**
 * The SSE fallback's side of a connection: message frames become events whose {@code id:} is the seq (so
 * {@code Last-Event-ID} resumes exactly like {@code since}); other frames become events named by their type; pings
 * become comments. Binary messages travel as JSON with their payload in base64, as the history endpoint gives them.
 * <p>
 * A client that goes away is noticed only by a write failing, and a blocking socket gives no other sign: the
 * request's thread writes a comment every {@link Timings#STREAM_PROBE}, so a closed stream stops counting as online
 * within about two intervals (the first write after the client's close is answered by a reset, the next one fails)
 * instead of at the next heartbeat ping.
 */
final class EventStreamSink implements FrameSink {
    private final SseSink sse;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The connection's writer and the probing request thread both write; Helidon's sink is not thread-safe. */
    private final ReentrantLock writing = new ReentrantLock();

    EventStreamSink(SseSink sse) {
        this.sse = sse;
    }

    @Override
    public void write(List<OutFrame> frames) {
        writing.lock();
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
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void close(int code, String reason) {
        try {
            // A write stuck on a client that stopped reading must not hold up the closer (a sweeper, a drain):
            // then the stream just ends, without its close event.
            if (writing.tryLock(Timings.STREAM_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    sse.emit(SseEvent.builder().name("close")
                                     .data("{\"code\":" + code + ",\"reason\":\"" + reason.replace("\"", "'") + "\"}")
                                     .build());
                } finally {
                    writing.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ended.countDown();
        }
    }

    @Override
    public void terminate() {
        ended.countDown();
    }

    /** None: the server only writes to a stream, which cannot answer pings either. */
    @Override
    public Optional<Thread> reader() {
        return Optional.empty();
    }

    /**
     * Blocks the request's thread for as long as the stream lives (Helidon ends the response when it returns),
     * probing it every {@link Timings#STREAM_PROBE}; returns once the stream was closed or a write to it failed.
     */
    void awaitEnd() throws InterruptedException {
        while (!ended.await(Timings.STREAM_PROBE.toMillis(), TimeUnit.MILLISECONDS)) {
            probe();
        }
    }

    private void probe() {
        if (!writing.tryLock()) {
            return;   // a write is under way: it fails by itself if the client has gone
        }
        try {
            sse.emit(SseEvent.builder().comment("").build());
        } catch (RuntimeException e) {
            ended.countDown();   // the client has gone
        } finally {
            writing.unlock();
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
