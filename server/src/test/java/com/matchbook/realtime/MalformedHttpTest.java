package com.matchbook.realtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RawHttp;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TracelessServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests broken at the HTTP level (PROTOCOL.md "POST /send-message": "Bad input gets a 4xx with {"error", "message"},
 * never a 500"): each answer carries the contract's JSON body, nothing is stored, and nothing is logged with a stack
 * trace, whether the request is refused by Helidon before routing or while its body is read.
 */
class MalformedHttpTest {
    private static final String HEAD = "POST /send-message HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + "Content-Type: application/json\r\n";

    @RegisterExtension
    static final TracelessServer SERVED = new TracelessServer(Map.of("matchbook.heartbeat-interval", "PT60S"));

    private static RunningServer server() {
        return SERVED.server();
    }

    @Test
    void aBodyShorterThanItsContentLengthIs400() throws IOException {
        RawHttp.Answer a = RawHttp.exchange(server().port(), HEAD + "Content-Length: 100\r\n\r\n{\"to\":\"short\"", true);
        assertRefused(a, 400, "short");
    }

    @ParameterizedTest
    @ValueSource(strings = {"64\r\n{\"to\":\"cut\",\"text\":\"x\"}",                    // a chunk shorter than its size
            "1b\r\n{\"to\":\"cut\",\"text\":\"chunk\"}\r\n"})                          // no last chunk
    void aChunkedBodyThatEndsEarlyIs400(String chunks) throws IOException {
        RawHttp.Answer a = RawHttp.exchange(server().port(), HEAD + "Transfer-Encoding: chunked\r\n\r\n" + chunks, true);
        assertRefused(a, 400, "cut");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: abc\r\n", "Content-Length: -1\r\n",
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "Content-Encoding: br\r\nContent-Length: 27\r\n",
            "Transfer-Encoding: foo\r\n", "A header line without a colon\r\nContent-Length: 27\r\n"})
    void aRequestHelidonRefusesBeforeRoutingGetsTheContractsBody(String headers) throws IOException {
        RawHttp.Answer a = RawHttp.exchange(server().port(), HEAD + headers + "\r\n{\"to\":\"raw\",\"text\":\"hello\"}",
                                            false);
        assertRefused(a, 400, "raw");
    }

    @Test
    void theBodySaysWhatIsWrongNotOnlyTheStatus() throws IOException {
        RawHttp.Answer a = RawHttp.exchange(server().port(), HEAD + "Content-Length: abc\r\n\r\n{}", false);
        assertEquals(400, a.status(), a.body());
        String message = a.json().getString("message");
        assertTrue(message.toLowerCase().contains("length"), "names the Content-Length: " + message);
    }

    @Test
    void aRequestWithoutHostGetsTheContractsBody() throws IOException {
        String request = "POST /send-message HTTP/1.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "Content-Length: 27\r\n\r\n{\"to\":\"raw\",\"text\":\"hello\"}";
        assertRefused(RawHttp.exchange(server().port(), request, false), 400, "raw");
    }

    @Test
    void http10GetsA505WithTheContractsBody() throws IOException {
        String request = "POST /send-message HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 27\r\n\r\n{\"to\":\"raw\",\"text\":\"hello\"}";
        assertRefused(RawHttp.exchange(server().port(), request, false), 505, "raw");
    }

    @Test
    void anotherMethodOnSendMessageIs405WithAllow() throws IOException {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            RawHttp.Answer a = RawHttp.exchange(server().port(), method + " /send-message HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\nContent-Length: 0\r\n\r\n", false);
            assertEquals(405, a.status(), method + ": " + a.body());
            assertTrue(a.hasHeader("allow: post"), a.head());
            assertEquals("method_not_allowed", a.json().getString("error"));
        }
    }

    private static void assertRefused(RawHttp.Answer a, int status, String user) {
        assertEquals(status, a.status(), a.head() + a.body());
        assertTrue(a.hasHeader("content-type: application/json"), a.head());
        assertFalse(a.json().getString("error").isEmpty(), a.body());
        assertFalse(a.json().getString("message").isEmpty(), a.body());
        assertEquals(0, Http.get(server().http("/api/users/" + user + "/messages?since=0")).json()
                .getJsonArray("messages").size(), "nothing stored");
    }
}
