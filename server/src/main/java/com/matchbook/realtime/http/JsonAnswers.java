package com.matchbook.realtime.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonStructure;

/**
 * Writes a JSON answer whatever the request's {@code Accept} says (PROTOCOL.md "POST /send-message" (1.1): "JSON
 * endpoints answer JSON whatever the Accept header says").
 *
 * <p>Why not {@code res.send(jsonObject)}: without a Content-Type on the response, Helidon chooses the media writer
 * from {@code Accept}, and an {@code Accept: text/html} then ends the exchange in a 415 after the handler has done
 * its work (a broadcast delivered, then refused). The type is set here and the body written as text.
 */
public final class JsonAnswers {
    private JsonAnswers() {
    }

    /** Sends {@code body} with the response's status as it stands (200 unless set) and {@code application/json}. */
    public static void send(ServerResponse res, JsonStructure body) {
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(body.toString());
    }
}
