package com.matchbook.realtime;

import java.net.http.HttpRequest;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /send-message}: the SSE era's contract, and a JSON error for every bad request. */
class SendMessageHttpTest {
    private static final int MAX_TEXT = 1000;
    private static final int MAX_BODY = 4000;
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.max-text-bytes", Integer.toString(MAX_TEXT),
                                            "matchbook.max-binary-bytes", Integer.toString(MAX_BODY)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void acceptedMessageAnswers202WithIdAndSeqAndIsStoredForLater() {
        Http.Reply first = post("{\"to\":\"later\",\"from\":\"alice\",\"text\":\"one\"}");
        Http.Reply second = post("{\"to\":\"later\",\"from\":\"alice\",\"message\":\"two (old field name)\"}");
        assertEquals(202, first.status());
        assertEquals(202, second.status());
        assertEquals(1, first.json().getJsonNumber("seq").longValue());
        assertEquals(2, second.json().getJsonNumber("seq").longValue());
        assertFalse(first.json().getString("id").equals(second.json().getString("id")));
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=later&since=0"))) {
            assertEquals("one", s.next("message").getString("text"));
            assertEquals("two (old field name)", s.next("message").getString("text"));
        }
    }

    @Test
    void senderDefaultsToSystemWhenTheBodyNamesNone() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=notified"))) {
            assertEquals(202, post("{\"to\":\"notified\",\"channel\":\"matches\",\"data\":{\"match\":\"bob\"}}").status());
            JsonObject m = s.next("message");
            assertEquals("system", m.getString("from"));
            assertEquals("matches", m.getString("channel"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON          | {\"to\": \"bob\", \"text\": | 400 | invalid_json",
            "not an object           | [\"bob\", \"hi\"]           | 400 | invalid_json",
            "empty body              | ''                          | 400 | invalid_json",
            "missing to              | {\"text\":\"hi\"}           | 400 | missing_field",
            "to not a string         | {\"to\":42,\"text\":\"hi\"} | 400 | invalid_field",
            "illegal to              | {\"to\":\"bob smith\",\"text\":\"hi\"} | 400 | invalid_field",
            "empty to                | {\"to\":\"\",\"text\":\"hi\"} | 400 | invalid_field",
            "illegal from            | {\"to\":\"bob\",\"from\":\"<script>\",\"text\":\"hi\"} | 400 | invalid_field",
            "neither text nor data   | {\"to\":\"bob\"}            | 400 | missing_field",
            "illegal channel         | {\"to\":\"bob\",\"text\":\"hi\",\"channel\":\"a b\"} | 400 | invalid_field",
    })
    void badBodiesGet4xxWithAJsonError(String what, String body, int status, String code) {
        Http.Reply r = post(body);
        assertEquals(status, r.status(), what + ": " + r.body());
        assertEquals(code, r.json().getString("error"), what);
        assertFalse(r.json().getString("message").isBlank());
        assertFalse(r.body().contains("Exception"), "no stack trace: " + r.body());
    }

    @Test
    void idOverSixtyFourCharactersIsRefused() {
        Http.Reply r = post("{\"to\":\"" + "b".repeat(65) + "\",\"text\":\"hi\"}");
        assertEquals(400, r.status());
        assertEquals("invalid_field", r.json().getString("error"));
    }

    @Test
    void wrongContentTypeIs415() {
        Http.Reply form = Http.post(server.http("/send-message"), "application/x-www-form-urlencoded", "to=bob&text=hi");
        assertEquals(415, form.status());
        assertEquals("unsupported_media_type", form.json().getString("error"));
        Http.Reply none = Http.post(server.http("/send-message"), null, "{\"to\":\"bob\",\"text\":\"hi\"}");
        assertEquals(415, none.status());
        Http.Reply charset = Http.post(server.http("/send-message"), "application/json; charset=utf-8",
                                       "{\"to\":\"bob\",\"text\":\"hi\"}");
        assertEquals(202, charset.status(), "a charset parameter is still JSON");
    }

    @Test
    void textOverTheLimitIs413() {
        Http.Reply r = post("{\"to\":\"bob\",\"text\":\"" + "é".repeat(MAX_TEXT / 2 + 1) + "\"}");
        assertEquals(413, r.status(), "the limit counts UTF-8 bytes, not characters");
        assertEquals("too_large", r.json().getString("error"));
        assertEquals(202, post("{\"to\":\"bob\",\"text\":\"" + "é".repeat(MAX_TEXT / 2) + "\"}").status());
    }

    @Test
    void bodyOverTheLimitIs413EvenWhenChunked() {
        String big = "{\"to\":\"bob\",\"data\":\"" + "x".repeat(MAX_BODY) + "\"}";
        Http.Reply declared = post(big);
        assertEquals(413, declared.status());
        assertEquals("too_large", declared.json().getString("error"));
        HttpRequest.Builder chunked = HttpRequest.newBuilder(server.http("/send-message"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        Http.Reply streamed = Http.send(chunked);
        assertEquals(413, streamed.status());
    }

    @Test
    void badRequestsLeaveNothingStored() {
        post("{\"to\":\"untouched\"}");
        post("{\"to\":\"untouched\",\"text\":\"" + "x".repeat(MAX_TEXT + 1) + "\"}");
        Http.Reply history = Http.get(server.http("/api/users/untouched/messages"));
        assertEquals(0, history.json().getJsonArray("messages").size());
        assertEquals(0, history.json().getJsonNumber("lastSeq").longValue());
    }

    @Test
    void unknownRouteIsNotAServerError() {
        assertTrue(Http.get(server.http("/no-such-thing")).status() == 404);
    }

    private static Http.Reply post(String body) {
        return Http.postJson(server.http("/send-message"), body);
    }
}
