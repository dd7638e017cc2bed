package com.matchbook.realtime.http;

import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.OptionalLong;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.sse.SseSink;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Caller;
import com.matchbook.realtime.hub.Connection;
import com.matchbook.realtime.hub.Ending;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.TooManyConnectionsException;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Drafts;
import com.matchbook.realtime.protocol.CloseCodes;

/**
 * {@code GET /events} and {@code /api/sse}. With {@code Accept: text/event-stream} and {@code ?id=}: the SSE fallback,
 * a connection like a socket's (same welcome, replay, live messages, receipts) that cannot send. Otherwise the
 * retirement notice.
 */
public final class EventStreamService implements Handler {
    private static final System.Logger LOG = System.getLogger(EventStreamService.class.getName());
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    private final Hub hub;
    private final Access access;
    private final LegacySseService notice = new LegacySseService();

    public EventStreamService(Hub hub, Access access) {
        this.access = access;
        this.hub = hub;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        if (!wantsStream(req)) {
            notice.handle(req, res);
            return;
        }
        String id = req.query().first("id").asOptional()
                .orElseThrow(() -> BadInputException.missing("id"));
        Drafts.validId("id", id);
        // EventSource cannot set headers: the token may come as ?token=, as on the socket.
        Caller caller = access.caller(req.headers(), req.query().first("token").asOptional());
        caller.requireUser(id);
        OptionalLong since = resumePoint(req);
        EventStreamSink sink = new EventStreamSink(res.sink(SseSink.TYPE));
        Connection c;
        try {
            c = caller.claims().isPresent()
                    ? hub.open(id, sink, since, caller.claims().get().honouredUntil())
                    : hub.open(id, sink, since);
        } catch (TooManyConnectionsException e) {
            sink.close(CloseCodes.RATE_LIMITED, "too many connections for this user; retry-after-ms="
                                                + Timings.RETRY_WHEN_USER_FULL.toMillis());
            return;
        }
        try {
            sink.awaitEnd();
        } catch (InterruptedException e) {
            // The server is stopping and interrupts the request's thread: an end like any other, not an error.
            Thread.currentThread().interrupt();
        } finally {
            hub.end(c, Ending.PEER_LEFT, CloseCodes.NORMAL, "stream ended");
            LOG.log(Level.DEBUG, () -> "event=stream-end user=" + id + " conn=" + c.id());
        }
    }

    /** {@code Last-Event-ID} is the seq of the last event the browser saw: the same token as {@code since}. */
    private static OptionalLong resumePoint(ServerRequest req) {
        Optional<String> header = req.headers().first(LAST_EVENT_ID);
        Optional<String> value = header.isPresent() ? header : req.query().first("since").asOptional();
        if (value.isEmpty() || value.get().isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(value.get().trim());
            if (n < 0) {
                throw BadInputException.invalid("Last-Event-ID", "must be a seq, 0 or more");
            }
            return OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw BadInputException.invalid("Last-Event-ID", "must be a seq, 0 or more");
        }
    }

    /** {@code Accept} names {@code text/event-stream} with a weight above 0 (RFC 9110 12.4.2: q=0 is "not acceptable"). */
    private static boolean wantsStream(ServerRequest req) {
        return req.headers().acceptedTypes().stream()
                .filter(t -> t.qualityFactor() > 0)
                .map(HttpMediaType::mediaType)
                .anyMatch(t -> t.type().equalsIgnoreCase("text") && t.subtype().equalsIgnoreCase("event-stream"));
    }
}
