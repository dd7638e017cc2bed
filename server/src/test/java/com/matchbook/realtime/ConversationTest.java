package com.matchbook.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import com.matchbook.realtime.protocol.BinaryFrames;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.Json;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.SseClient;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receipts, typing, channels, files and the SSE fallback, as two users see them. */
class ConversationTest {
    private static final int MAX_BINARY = 2048;
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.max-binary-bytes", Integer.toString(MAX_BINARY)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void receivedAndReadBecomeReceiptsOnEveryConnectionOfTheSender() {
        try (TestSocket aliceTab1 = TestSocket.welcomed(server.ws("?id=r-alice"));
             TestSocket aliceTab2 = TestSocket.welcomed(server.ws("?id=r-alice"));
             TestSocket bob = TestSocket.welcomed(server.ws("?id=r-bob"))) {
            aliceTab1.send("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"r-bob\",\"text\":\"first\"}");
            aliceTab1.send("{\"type\":\"send\",\"ref\":\"b\",\"to\":\"r-bob\",\"text\":\"second\"}");
            String id1 = aliceTab1.next("ack").getString("id");
            String id2 = aliceTab1.next("ack").getString("id");
            bob.next("message");
            JsonObject second = bob.next("message");
            bob.send("{\"type\":\"received\",\"seq\":" + second.getInt("seq") + "}");
            for (TestSocket tab : new TestSocket[] {aliceTab1, aliceTab2}) {
                JsonObject r1 = tab.next("receipt");
                JsonObject r2 = tab.next("receipt");
                assertEquals(id1, r1.getString("id"), "cumulative: every message up to seq gets its receipt");
                assertEquals(id2, r2.getString("id"));
                assertEquals("delivered", r1.getString("status"));
                assertEquals("r-bob", r1.getString("by"));
                assertTrue(r1.getString("at").endsWith("Z"));
            }
            bob.send("{\"type\":\"received\",\"seq\":" + second.getInt("seq") + "}");
            bob.send("{\"type\":\"read\",\"id\":\"" + id2 + "\"}");
            JsonObject read = aliceTab1.next("receipt");
            assertEquals("read", read.getString("status"), "a repeated received gives no second delivered receipt");
            assertEquals(id2, read.getString("id"));
            bob.send("{\"type\":\"read\",\"id\":\"not-a-message\",\"ref\":\"r9\"}");
            assertEquals("not_found", bob.next("error").getString("code"));
        }
    }

    @Test
    void typingIsRelayedToEveryConnectionAndNeverStored() {
        try (TestSocket a = TestSocket.welcomed(server.ws("?id=t-alice"));
             TestSocket b1 = TestSocket.welcomed(server.ws("?id=t-bob"));
             TestSocket b2 = TestSocket.welcomed(server.ws("?id=t-bob"))) {
            a.send("{\"type\":\"typing\",\"to\":\"t-bob\",\"state\":\"start\"}");
            for (TestSocket b : new TestSocket[] {b1, b2}) {
                JsonObject t = b.next("typing");
                assertEquals("t-alice", t.getString("from"));
                assertEquals("start", t.getString("state"));
            }
            a.send("{\"type\":\"typing\",\"to\":\"t-bob\",\"state\":\"stop\"}");
            assertEquals("stop", b1.next("typing").getString("state"));
            a.send("{\"type\":\"typing\",\"to\":\"t-bob\",\"state\":\"dancing\",\"ref\":1}");
            assertEquals("invalid_field", a.next("error").getString("code"));
        }
        assertEquals(0, Http.get(server.http("/api/users/t-bob/messages")).json().getInt("lastSeq"));
    }

    @Test
    void subscribeNarrowsAConnectionToItsChannelsAndLeavesOthersAlone() {
        try (TestSocket narrow = TestSocket.welcomed(server.ws("?id=c-user"));
             TestSocket wide = TestSocket.welcomed(server.ws("?id=c-user"))) {
            narrow.send("{\"type\":\"subscribe\",\"channels\":[\"matches\"]}");
            narrow.send("{\"type\":\"ping\"}");
            narrow.next("pong");   // frames are handled in order: the subscription is in place
            Http.postJson(server.http("/send-message"), "{\"to\":\"c-user\",\"text\":\"chat 1\"}");
            Http.postJson(server.http("/send-message"), "{\"to\":\"c-user\",\"channel\":\"matches\",\"text\":\"match\"}");
            JsonObject onlyMatch = narrow.next("message");
            assertEquals("match", onlyMatch.getString("text"));
            assertEquals(2, onlyMatch.getInt("seq"), "seq 1 was filtered, not renumbered");
            assertEquals("chat 1", wide.next("message").getString("text"));
            assertEquals("match", wide.next("message").getString("text"));
            Http.postJson(server.http("/api/broadcast"), "{\"text\":\"news\",\"channel\":\"announcements\"}");
            Http.postJson(server.http("/api/broadcast"), "{\"text\":\"new match nearby\",\"channel\":\"matches\"}");
            assertEquals("new match nearby", narrow.next("message").getString("text"), "broadcasts respect it too");
            assertEquals("news", wide.next("message").getString("text"));
            narrow.send("{\"type\":\"subscribe\",\"channels\":\"matches\"}");
            assertEquals("invalid_field", narrow.next("error").getString("code"));
        }
    }

    @Test
    void fileTravelsAsABinaryFrameIsAckedStoredAndReplayed() {
        byte[] payload = new byte[1500];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        byte[] header = "{\"type\":\"send\",\"ref\":\"f1\",\"to\":\"f-bob\",\"name\":\"photo.jpg\",\"contentType\":\"image/jpeg\"}"
                .getBytes(StandardCharsets.UTF_8);
        try (TestSocket alice = TestSocket.welcomed(server.ws("?id=f-alice"));
             TestSocket bob = TestSocket.welcomed(server.ws("?id=f-bob"))) {
            alice.sendBinary(BinaryFrames.encode(header, payload));
            JsonObject ack = alice.next("ack");
            assertEquals("f1", ack.getString("ref"));
            TestSocket.Frame file = bob.next(f -> f.binary() != null);
            BinaryFrames.Parts parts = BinaryFrames.decode(file.binary(), 16384);
            JsonObject meta = Json.parse(parts.headerJson());
            assertEquals("message", meta.getString("type"));
            assertEquals(ack.getString("id"), meta.getString("id"));
            assertEquals("photo.jpg", meta.getString("name"));
            assertEquals("image/jpeg", meta.getString("contentType"));
            assertEquals(payload.length, meta.getInt("size"));
            assertEquals("f-alice", meta.getString("from"));
            assertArrayEquals(payload, parts.payload());
        }
        try (TestSocket again = TestSocket.welcomed(server.ws("?id=f-bob&since=0"))) {
            TestSocket.Frame replayed = again.next(f -> f.binary() != null);
            assertArrayEquals(payload, BinaryFrames.decode(replayed.binary(), 16384).payload());
        }
        JsonObject history = Http.get(server.http("/api/users/f-bob/messages")).json();
        assertEquals(payload.length, java.util.Base64.getDecoder()
                .decode(history.getJsonArray("messages").getJsonObject(0).getString("payload")).length);
    }

    @Test
    void malformedOrOversizedBinaryFramesAreRefused() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=b-bad"))) {
            s.sendBinary(new byte[] {0, 0});
            assertEquals("invalid_frame", s.next("error").getString("code"));
            s.sendBinary(BinaryFrames.encode("not json".getBytes(StandardCharsets.UTF_8), new byte[3]));
            assertEquals("invalid_json", s.next("error").getString("code"));
            s.sendBinary(new byte[] {0x7f, 0, 0, 0, 1, 2, 3});
            assertEquals("invalid_frame", s.next("error").getString("code"));
            byte[] header = "{\"type\":\"send\",\"to\":\"b-bad\",\"name\":\"big\"}".getBytes(StandardCharsets.UTF_8);
            s.sendBinary(BinaryFrames.encode(header, new byte[MAX_BINARY + 1]));
            assertEquals(1009, s.awaitClose().code());
        }
    }

    @Test
    void binaryMessageSplitIntoFramesIsReassembled() {
        byte[] header = "{\"type\":\"send\",\"ref\":\"split\",\"to\":\"b-split\",\"name\":\"n\",\"contentType\":\"text/plain\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] whole = BinaryFrames.encode(header, "hello in parts".getBytes(StandardCharsets.UTF_8));
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=b-split"))) {
            s.sendBinaryPart(Arrays.copyOfRange(whole, 0, 10), false);
            s.sendBinaryPart(Arrays.copyOfRange(whole, 10, whole.length), true);
            assertEquals("split", s.next("ack").getString("ref"));
            TestSocket.Frame f = s.next(x -> x.binary() != null);
            assertEquals("hello in parts", new String(BinaryFrames.decode(f.binary(), 16384).payload(),
                                                      StandardCharsets.UTF_8));
        }
    }

    @Test
    void sseFallbackStreamsMessagesAndResumesFromLastEventId() {
        for (int i = 1; i <= 3; i++) {
            Http.postJson(server.http("/send-message"), "{\"to\":\"sse-user\",\"text\":\"s" + i + "\"}");
        }
        try (SseClient sse = new SseClient(server.http("/events?id=sse-user"), Map.of("Last-Event-ID", "1"))) {
            assertEquals(200, sse.status());
            assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());
            JsonObject welcome = Json.parse(sse.next("welcome").data());
            assertEquals(3, welcome.getInt("lastSeq"));
            SseClient.Event second = sse.next("message");
            assertEquals("2", second.id(), "id: is the seq");
            assertEquals("s2", Json.parse(second.data()).getString("text"));
            assertEquals("3", sse.next("message").id());
            Http.postJson(server.http("/send-message"), "{\"to\":\"sse-user\",\"text\":\"live\"}");
            SseClient.Event live = sse.next("message");
            assertEquals("4", live.id());
            assertEquals("live", Json.parse(live.data()).getString("text"));
            assertEquals(1, Http.get(server.http("/api/users/sse-user/presence")).json().getInt("connections"));
        }
    }

    @Test
    void sseWithoutAnIdIsABadRequest() {
        Http.Reply r = Http.get(server.http("/events"), "text/event-stream");
        assertEquals(400, r.status());
        assertEquals("missing_field", r.json().getString("error"));
        assertFalse(r.body().isBlank());
    }
}
