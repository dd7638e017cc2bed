package com.matchbook.realtime.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a text/event-stream the way a browser's EventSource does, one event at a time. */
public final class SseClient implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** One event: its id (empty if none), its name ("message" if none), its data. */
    public record Event(String id, String name, String data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile Stream<String> lines;
    private final HttpResponse<Stream<String>> response;

    public SseClient(URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        headers.forEach(b::header);
        try {
            response = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        lines = response.body();
        reader = Thread.ofVirtual().start(this::read);
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    public Event next() {
        try {
            Event e = events.poll(TestSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + TestSocket.WAIT);
            }
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The next event with this name, skipping others. */
    public Event next(String name) {
        while (true) {
            Event e = next();
            if (e.name().equals(name)) {
                return e;
            }
        }
    }

    private void read() {
        String id = "";
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = "";
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed
        }
    }

    @Override
    public void close() {
        lines.close();
        reader.interrupt();
    }
}
