package com.matchbook.realtime;

import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.matchbook.realtime.protocol.BinaryFrames;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.Json;
import com.matchbook.realtime.support.RawHttp;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TracelessServer;
import com.matchbook.realtime.support.SseClient;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md "POST /send-message" (1.1) input rules, on HTTP and in socket frames: each malformed input is a 400
 * {@code invalid_json} (an {@code error} frame on the socket, which stays open), nothing is stored, and nothing is
 * logged with a stack trace.
 */
class InputRulesTest {
    @RegisterExtension
    static final TracelessServer SERVED = new TracelessServer(Map.of("matchbook.heartbeat-interval", "PT60S"));

    private static RunningServer server() {
        return SERVED.server();
    }

    @Test
    void aBodyThatIsNotUtf8Is400AndNothingIsStored() {
        byte[] body = "{\"to\":\"utf\",\"text\":\"bad \u0000\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xFF;
        assertRefused(post(body), "utf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"to\":\"twice\",\"text\":\"one\"}{\"to\":\"twice\",\"text\":\"two\"}",
            "{\"to\":\"twice\",\"text\":\"one\"} x", "{\"to\":\"twice\",\"text\":\"one\"}]"})
    void anythingButWhitespaceAfterTheObjectIs400(String body) {
        assertRefused(post(body.getBytes(StandardCharsets.UTF_8)), "twice");
    }

    @Test
    void whitespaceAfterTheObjectIsFine() {
        Http.Reply r = post("{\"to\":\"spaced\",\"text\":\"ok\"} \r\n\t".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, r.status(), r.body());
    }

    @Test
    void nestingIsAllowedTo64LevelsAndRefusedPastThem() {
        assertEquals(202, post(nested("deep64", 63)).status(), "63 arrays inside the body object: 64 levels");
        assertRefused(post(nested("deep65", 64)), "deep65");
        assertRefused(post(nested("deep1000", 999)), "deep1000");
    }

    @Test
    void deepFramesOnTheSocketGetAnErrorFrameAndTheSocketStays() {
        try (TestSocket s = TestSocket.welcomed(server().ws("?id=deep-socket"))) {
            String deep = "[".repeat(1000) + "]".repeat(1000);
            for (int i = 0; i < 5; i++) {
                s.send("{\"type\":\"send\",\"ref\":\"d\",\"to\":\"deep-socket\",\"text\":\"x\",\"data\":" + deep + "}");
                assertEquals("invalid_json", s.next("error").getString("code"));
            }
            s.send("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"deep-socket\",\"text\":\"x\"}{\"type\":\"send\"}");
            assertEquals("invalid_json", s.next("error").getString("code"), "content after the object");
            s.send("{\"type\":\"send\",\"ref\":\"ok\",\"to\":\"deep-socket\",\"text\":\"still open\"}");
            assertEquals("ok", s.next("ack").getString("ref"));
            assertFalse(s.isClosed());
        }
    }

    @Test
    void aMalformedChunkedBodyIs400() throws Exception {
        String request = "POST /send-message HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{\"to\":\"chunky\"}\r\n0\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", server().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 400", status);
        }
    }

    @Test
    void theAnswerIsJsonWhateverAcceptSaysSoAStoredMessageIsAlways202() {
        Http.Reply r = Http.send(HttpRequest.newBuilder(server().http("/send-message"))
                                         .header("Content-Type", "application/json")
                                         .header("Accept", "text/plain")
                                         .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"plain\",\"text\":\"hi\"}")));
        assertEquals(202, r.status(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(r.json().containsKey("seq"));
        assertEquals(1, history("plain"), "stored once");
    }

    @Test
    void acceptEventStreamIsMatchedCaseInsensitively() {
        for (String path : List.of("/events", "/api/sse")) {
            try (SseClient sse = new SseClient(server().http(path + "?id=caps"), Map.of("Accept", "TEXT/Event-Stream"))) {
                assertEquals(200, sse.status());
                assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
            }
        }
    }

    @Test
    void aStormOfParallelUpgradesIsAnswered101Or503WithRetryAfterNever400() throws Exception {
        try (RunningServer limited = RunningServer.start(Map.of("matchbook.limits.connections-per-second", "5"));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> heads = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String user = "storm-" + i;
                Callable<String> upgrade = () -> {
                    try (RawSocket s = new RawSocket(limited.port(), "?id=" + user)) {
                        return s.responseHead();
                    }
                };
                heads.add(pool.submit(upgrade));
            }
            int refused = 0;
            for (Future<String> f : heads) {
                String head = f.get();
                if (!head.startsWith("HTTP/1.1 101")) {
                    refused++;
                    assertTrue(head.startsWith("HTTP/1.1 503"), head);
                    assertTrue(head.toLowerCase().matches("(?s).*\r\nretry-after: *\\d+\r\n.*"), head);
                }
            }
            assertTrue(refused > 0, "60 at once over 5 per second: some are refused");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\ud800b", "\\ud83d\\ud83d"})
    void anEscapedLoneSurrogateIsRefusedNotStoredAltered(String escaped) {
        assertRefused(post(("{\"to\":\"lone\",\"text\":\"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8)),
                      "lone");
        try (TestSocket s = TestSocket.welcomed(server().ws("?id=lone-socket"))) {
            s.send("{\"type\":\"send\",\"ref\":\"s\",\"to\":\"lone\",\"text\":\"" + escaped + "\"}");
            assertEquals("invalid_json", s.next("error").getString("code"));
            assertFalse(s.isClosed());
        }
        assertEquals(0, history("lone"), "nothing stored from the socket either");
    }

    @Test
    void anEscapedSurrogatePairIsOneCharacterAndKept() {
        Http.Reply r = post("{\"to\":\"pair\",\"text\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(202, r.status(), r.body());
        assertEquals("\ud83d\ude00", Http.get(server().http("/api/users/pair/messages?since=0")).json()
                .getJsonArray("messages").getJsonObject(0).getString("text"));
    }

    @Test
    void aBinaryHeaderThatIsNotUtf8GetsInvalidJsonAndNothingIsStored() {
        byte[] header = "{\"type\":\"send\",\"ref\":\"b\",\"to\":\"binutf\",\"text\":\"bad ??\"}"
                .getBytes(StandardCharsets.UTF_8);
        header[header.length - 4] = (byte) 0xFF;
        header[header.length - 3] = (byte) 0xFE;
        try (TestSocket s = TestSocket.welcomed(server().ws("?id=binutf-sender"))) {
            s.sendBinary(BinaryFrames.encode(header, new byte[] {1, 2, 3}));
            assertEquals("invalid_json", s.next("error").getString("code"));
            s.send("{\"type\":\"send\",\"ref\":\"ok\",\"to\":\"binutf\",\"text\":\"fine\"}");
            assertEquals("ok", s.next("ack").getString("ref"), "the connection stays");
        }
        assertEquals(1, history("binutf"), "only the valid message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"x\":[1,\"a\"]}", "[1,2]", "true", "null", "\"s\"", "7", "-1.5e3"})
    void anyRefIsEchoedAsSent(String ref) {
        try (TestSocket s = TestSocket.welcomed(server().ws("?id=refs"))) {
            s.send("{\"type\":\"send\",\"ref\":" + ref + ",\"to\":\"refs-peer\",\"text\":\"r\"}");
            JsonValue sent = Json.parse("{\"ref\":" + ref + "}").get("ref");
            assertEquals(sent, s.next("ack").get("ref"), "ack");
            s.send("{\"type\":\"send\",\"ref\":" + ref + ",\"to\":\"not a user\",\"text\":\"r\"}");
            assertEquals(sent, s.next("error").get("ref"), "error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"18446744073709551617", "9223372036854775808", "-1", "1.5"})
    void aReceivedSeqOutsideWholeNumbersFrom0ToLongMaxIsRefused(String seq) {
        try (TestSocket s = TestSocket.welcomed(server().ws("?id=cursor"))) {
            s.send("{\"type\":\"received\",\"seq\":" + seq + "}");
            assertEquals("invalid_field", s.next("error").getString("code"), seq);
        }
    }

    @Test
    void eventStreamAtWeightZeroIsNotAskingForAStream() throws Exception {
        // Read raw: were it taken for a stream, the answer would not end, and the read times out instead of hanging.
        RawHttp.Answer a = RawHttp.exchange(server().port(), "GET /events?id=weights HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nAccept: text/event-stream;q=0, application/json\r\n\r\n", false);
        assertEquals(200, a.status(), a.head());
        assertTrue(a.json().getBoolean("deprecated"), a.body());
    }

    private static void assertRefused(Http.Reply r, String user) {
        assertEquals(400, r.status(), r.body());
        assertEquals("invalid_json", r.json().getString("error"), r.body());
        assertEquals(0, history(user), "nothing stored");
    }

    private static Http.Reply post(byte[] body) {
        return Http.send(HttpRequest.newBuilder(server().http("/send-message"))
                                 .header("Content-Type", "application/json")
                                 .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A body whose {@code data} is {@code arrays} arrays deep: the body object itself is one more level. */
    private static byte[] nested(String to, int arrays) {
        return ("{\"to\":\"" + to + "\",\"text\":\"t\",\"data\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static int history(String user) {
        return Http.get(server().http("/api/users/" + user + "/messages?since=0")).json().getJsonArray("messages").size();
    }
}
