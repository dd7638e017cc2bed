package com.matchbook.realtime;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad thing a client can do to the socket gets the contract's answer, and leaves nothing behind. */
class BadSocketInputTest {
    private static final int MAX_TEXT = 1000;
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.max-text-bytes", Integer.toString(MAX_TEXT),
                                            "matchbook.heartbeat-interval", "PT30S"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void registryIsClean() {
        Eventually.holds("no connection left registered",
                         () -> server.app().hub().connectionCount() == 0 && server.app().hub().userCount() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?id=", "?id=has%20space", "?id=%C3%A9t%C3%A9", "?id=a/b", "?id=semi;colon",
            "?other=alice", "?id=alice&since=-1", "?id=alice&since=abc", "?id=alice&since=1.5"})
    void badQueryIsClosedWith4000BeforeAnyFrame(String query) throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), query)) {
            assertTrue(raw.upgraded(), "accepted, then closed: browsers cannot read a refused handshake");
            RawSocket.Frame first = raw.read();
            assertEquals(RawSocket.CLOSE, first.opcode(), "the first frame is the close");
            assertEquals(4000, first.closeCode());
            assertFalse(first.closeReason().isBlank(), "a human reason comes with it");
        }
    }

    @Test
    void tooLongIdIsClosedWith4000() {
        try (TestSocket s = TestSocket.open(server.ws("?id=" + "a".repeat(65)))) {
            TestSocket.Close close = s.awaitClose();
            assertEquals(4000, close.code());
            assertTrue(close.reason().contains("64"), close.reason());
        }
    }

    @Test
    void longestLegalIdIsWelcome() {
        String id = "A-z_0.9".repeat(9) + "x";
        assertEquals(64, id.length());
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=" + id))) {
            assertEquals(id, s.welcome().getString("id"));
        }
    }

    @Test
    void framesThatAreNotUnderstoodGetErrorFramesAndTheSocketStaysUp() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=confused"))) {
            s.send("this is not json");
            assertEquals("invalid_json", s.next("error").getString("code"));
            s.send("[1,2,3]");
            assertEquals("invalid_frame", s.next("error").getString("code"));
            s.send("{\"ref\":\"no-type\"}");
            JsonObject noType = s.next("error");
            assertEquals("missing_field", noType.getString("code"));
            assertEquals("no-type", noType.getString("ref"));
            s.send("{\"type\":\"teleport\",\"ref\":\"u1\"}");
            JsonObject unknown = s.next("error");
            assertEquals("unknown_type", unknown.getString("code"));
            assertEquals("u1", unknown.getString("ref"));
            s.send("{\"type\":\"send\",\"ref\":\"bad-to\",\"to\":\"no spaces allowed\",\"text\":\"x\"}");
            JsonObject badTo = s.next("error");
            assertEquals("invalid_field", badTo.getString("code"));
            assertEquals("bad-to", badTo.getString("ref"));
            s.send("{\"type\":\"send\",\"ref\":\"no-to\",\"text\":\"x\"}");
            assertEquals("missing_field", s.next("error").getString("code"));
            s.send("{\"type\":\"send\",\"ref\":\"no-body\",\"to\":\"confused\"}");
            assertEquals("missing_field", s.next("error").getString("code"));
            s.send("{\"type\":\"received\",\"seq\":\"many\"}");
            assertEquals("invalid_field", s.next("error").getString("code"));

            s.send("{\"type\":\"send\",\"ref\":\"fine\",\"to\":\"confused\",\"text\":\"still here\"}");
            assertEquals("fine", s.next("ack").getString("ref"));
            assertEquals("still here", s.next("message").getString("text"));
            assertFalse(s.isClosed());
        }
    }

    @Test
    void textFrameOverTheLimitIsClosedWith1009() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=big-talker"))) {
            s.send("{\"type\":\"send\",\"to\":\"x\",\"text\":\"" + "y".repeat(MAX_TEXT) + "\"}");
            assertEquals(1009, s.awaitClose().code());
        }
    }

    @Test
    void theLimitIsPerMessageNotPerConnection() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=chatty"))) {
            String text = "w".repeat(MAX_TEXT / 2);
            for (int i = 0; i < 10; i++) {
                s.send("{\"type\":\"send\",\"ref\":\"" + i + "\",\"to\":\"chatty\",\"text\":\"" + text + "\"}");
                assertEquals(Integer.toString(i), s.next("ack").getString("ref"), "many messages, each under the limit");
            }
            s.sendPart("{\"type\":\"send\",\"ref\":\"p\",\"to\":\"chatty\",", false);
            s.sendPart("\"text\":\"" + "v".repeat(MAX_TEXT / 2) + "\"}", true);
            assertEquals("p", s.next("ack").getString("ref"), "and split ones too");
            assertFalse(s.isClosed());
        }
    }

    @Test
    void messageSplitIntoSmallFramesIsLimitedAsAWhole() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=splitter"))) {
            String part = "z".repeat(MAX_TEXT / 4);
            s.sendPart("{\"type\":\"send\",\"to\":\"x\",\"text\":\"", false);
            for (int i = 0; i < 5; i++) {
                sendUnlessClosed(s, part, false);
            }
            sendUnlessClosed(s, "\"}", true);
            assertEquals(1009, s.awaitClose().code());
        }
    }

    @Test
    void messageSplitIntoFramesUnderTheLimitIsReassembled() {
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=joiner"))) {
            s.sendPart("{\"type\":\"send\",\"ref\":\"j\",", false);
            s.sendPart("\"to\":\"joiner\",\"text\":\"whole", false);
            s.sendPart(" again\"}", true);
            assertEquals("j", s.next("ack").getString("ref"));
            assertEquals("whole again", s.next("message").getString("text"));
        }
    }

    @Test
    void garbageBytesOnTheSocketEndOnlyThatConnection() throws Exception {
        try (TestSocket bystander = TestSocket.welcomed(server.ws("?id=bystander"));
             RawSocket raw = new RawSocket(server.port(), "?id=garbage")) {
            raw.readUntil(RawSocket.TEXT);   // welcome
            raw.sendRaw(new byte[] {(byte) 0x8F, (byte) 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9});   // reserved opcode 0xF
            assertTrue(raw.awaitEof(), "the server drops a socket that breaks the framing");
            bystander.send("{\"type\":\"send\",\"ref\":\"ok\",\"to\":\"bystander\",\"text\":\"fine\"}");
            assertEquals("ok", bystander.next("ack").getString("ref"));
        }
    }

    /**
     * The server closes as soon as the message crosses its limit, without reading the rest (RFC 6455 7.1.7): a part
     * written after that finds the output closed, which is not what the test is about.
     */
    private static void sendUnlessClosed(TestSocket s, String text, boolean last) {
        try {
            s.sendPart(text, last);
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof IOException)) {
                throw e;
            }
        }
    }
}
