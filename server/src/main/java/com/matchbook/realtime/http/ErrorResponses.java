package com.matchbook.realtime.http;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.store.StoreUnavailableException;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

/** Every failure becomes a JSON body with a 4xx/5xx status here, and nowhere else. Never a stack trace. */
public final class ErrorResponses {
    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private ErrorResponses() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> {
            e.retryAfterSeconds().ifPresent(s -> res.header(HeaderNames.RETRY_AFTER, Long.toString(s)));
            if (e.status() == 401) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            send(res, e.status(), e.code(), e.getMessage());
        })
                .error(BadInputException.class, (req, res, e) -> send(res, e.status(), e.code(), e.getMessage()))
                .error(StoreUnavailableException.class, (req, res, e) -> {
                    res.header(HeaderNames.RETRY_AFTER, "1");
                    send(res, 503, "unavailable", e.getMessage() + "; try again shortly");
                })
                // Helidon's own refusal of a malformed request, e.g. a chunked body with a bad chunk: a 4xx, never a 500.
                .error(RequestException.class, (req, res, e) -> send(res, e.status().code(), codeOf(e.status()),
                                                                     e.getMessage()))
                .error(HttpException.class, (req, res, e) -> {
                    if (e.status().code() < 400) {
                        res.status(e.status()).send();   // 304 Not Modified and friends: not errors, and no body
                        return;
                    }
                    send(res, e.status().code(), codeOf(e.status()), e.getMessage());
                })
                .error(Exception.class, (req, res, e) -> {
                    LOG.log(Level.WARNING, "event=http-failed path=" + req.path().path(), e);
                    send(res, 500, "internal", "the server failed to handle this request");
                });
    }

    /** "Not Found" -> "not_found": Helidon's own refusals read like ours. */
    static String codeOf(Status status) {
        return status.reasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    public static void send(ServerResponse res, int status, String code, String message) {
        // Written as text with an explicit type: the error must reach clients whose Accept names another type.
        res.status(Status.create(status))
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .send(JSON.createObjectBuilder().add("error", code).add("message", message).build().toString());
    }
}
