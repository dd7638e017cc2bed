package com.matchbook.realtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md "Framing and handshake (1.1)", one test per rule, each with raw frames a browser could never send. Every
 * test ends by checking that the server still delivers to a normal client ({@link #serverStillDelivers()}).
 */
class FramingRulesTest {
    private static final AtomicInteger USERS = new AtomicInteger();
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.heartbeat-interval", "PT60S"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void serverStillDelivers() {
        String user = "healthy-" + USERS.incrementAndGet();
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=" + user))) {
            Http.Reply r = Http.postJson(server.http("/send-message"), "{\"to\":\"" + user + "\",\"text\":\"still here\"}");
            assertEquals(202, r.status(), r.body());
            assertEquals("still here", s.next("message").getString("text"));
        }
    }

    // ---- handshake ----

    @Test
    void upgradeAndConnectionAreMatchedCaseInsensitivelyAndConnectionAsATokenList() throws Exception {
        String head = "GET /ws?id=" + nextUser() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: WebSocket\r\n"
                + "Connection: keep-alive, UPGRADE\r\nSec-WebSocket-Key: " + RawSocket.newKey() + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        try (RawSocket raw = RawSocket.request(server.port(), head)) {
            assertTrue(raw.upgraded(), raw.responseHead());
            assertEquals("welcome", TestSocketJson.type(raw.readUntil(RawSocket.TEXT)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Sec-WebSocket-Version: 8\r\n", "Sec-WebSocket-Version: 14\r\n"})
    void aMissingOrOtherVersionIsAnswered426WithVersion13(String versionHeader) throws Exception {
        String head = "GET /ws?id=" + nextUser() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + RawSocket.newKey() + "\r\n" + versionHeader + "\r\n";
        try (RawSocket raw = RawSocket.request(server.port(), head)) {
            assertTrue(raw.responseHead().startsWith("HTTP/1.1 426"), raw.responseHead());
            assertTrue(raw.responseHead().toLowerCase().contains("sec-websocket-version: 13"), raw.responseHead());
            assertTrue(raw.responseHead().toLowerCase().contains("\r\nupgrade: websocket\r\n"), raw.responseHead());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upgrade: websocket\r\n", "Upgrade: websocket\r\nConnection: keep-alive\r\n",
            "Upgrade: h2c, websocket\r\nConnection: Upgrade\r\n", ""})
    void withoutAVersionEvenAnIncompleteUpgradeIsAnswered426WithVersion13(String headers) throws Exception {
        String head = "GET /ws?id=" + nextUser() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nSec-WebSocket-Key: "
                + RawSocket.newKey() + "\r\n" + headers + "\r\n";
        try (RawSocket raw = RawSocket.request(server.port(), head)) {
            assertTrue(raw.responseHead().startsWith("HTTP/1.1 426"), raw.responseHead());
            assertTrue(raw.responseHead().toLowerCase().contains("sec-websocket-version: 13"), raw.responseHead());
            assertTrue(raw.responseHead().toLowerCase().contains("\r\nupgrade: websocket\r\n"), raw.responseHead());
        }
    }

    // ---- 1002 ----

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void reservedBitsWithoutAnExtensionAre1002(int rsvBit) throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | rsvBit | RawSocket.TEXT, true, bytes("{}")));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodesAre1002(int opcode) throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | opcode, true, bytes("x")));
    }

    @Test
    void aControlFrameOver125BytesIs1002NotAnsweredWithAPong() throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | RawSocket.PING, true, new byte[126]));
    }

    @Test
    void aFragmentedControlFrameIs1002() throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(RawSocket.PING, true, bytes("no fin")));
    }

    @Test
    void aNewDataFrameWhileAMessageIsOpenIs1002() throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(RawSocket.TEXT, true, bytes("{\"type\":")),
                        RawSocket.frame(0x80 | RawSocket.TEXT, true, bytes("{}")));
    }

    @Test
    void aContinuationWithNothingOpenIs1002() throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | RawSocket.CONTINUATION, true, bytes("{}")));
    }

    @Test
    void aCloseWithA1BytePayloadIs1002() throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | RawSocket.CLOSE, true, new byte[] {3}));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void aCloseCodeNotAllowedOnTheWireIs1002(int code) throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | RawSocket.CLOSE, true, closePayload(code, "")));
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 1012, 1013, 1014, 3000, 4999})
    void anAllowedCloseCodeIsEchoed(int code) throws Exception {
        try (RawSocket raw = welcomedRaw()) {
            raw.sendRaw(RawSocket.frame(0x80 | RawSocket.CLOSE, true, closePayload(code, "bye")));
            RawSocket.Frame close = raw.readUntil(RawSocket.CLOSE);
            assertEquals(code, close.closeCode());
            assertTrue(raw.awaitEof(), "RFC 6455 7.1.1: the server closes the TCP connection after the close handshake");
        }
    }

    @Test
    void anUnmaskedClientFrameIs1002() throws Exception {
        assertFailsWith(CloseCodes.PROTOCOL_ERROR, RawSocket.frame(0x80 | RawSocket.TEXT, false, bytes("{}")));
    }

    // ---- 1009 ----

    @Test
    void aMessageOverTheLimitIs1009EvenWhileTheClientIsStillSendingIt() throws Exception {
        try (RawSocket raw = welcomedRaw()) {
            // 512 KiB announced in one frame, past the 64 KiB default: the server refuses at the header, with the
            // payload still arriving. Closing with those bytes unread would reset the connection, and a reset can
            // destroy the Close frame before the client reads it (1006 instead of 1009).
            byte[] frame = RawSocket.frame(0x80 | RawSocket.TEXT, true, new byte[512 * 1024]);
            raw.sendRaw(frame);
            RawSocket.Frame close = raw.readUntil(RawSocket.CLOSE);
            assertEquals(CloseCodes.TOO_BIG, close.closeCode(), close.closeReason());
            assertTrue(raw.awaitEof(), "the server closes the connection after the linger");
        }
    }

    // ---- 1007 ----

    @Test
    void invalidUtf8FailsWith1007AtTheFirstBadFragmentNotAtTheEnd() throws Exception {
        try (RawSocket raw = welcomedRaw()) {
            raw.sendRaw(RawSocket.frame(RawSocket.TEXT, true, bytes("{\"type\":\"send\",\"text\":\"")));
            raw.sendRaw(RawSocket.frame(RawSocket.CONTINUATION, true, new byte[] {'o', 'k', (byte) 0xFF}));
            // The message is still open: no final frame was sent, so only a check as bytes arrive can close it now.
            RawSocket.Frame close = raw.readUntil(RawSocket.CLOSE);
            assertEquals(CloseCodes.INVALID_PAYLOAD, close.closeCode());
            assertTrue(raw.awaitEof());
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValidAndStoredWhole() throws Exception {
        String user = nextUser();
        try (RawSocket raw = welcomedRaw(user)) {
            byte[] message = bytes("{\"type\":\"send\",\"ref\":\"r\",\"to\":\"" + user + "\",\"text\":\"€ and 😀\"}");
            for (int i = 0; i < message.length; i++) {   // one byte per frame: every multi-byte character is split
                int first = (i == 0 ? RawSocket.TEXT : RawSocket.CONTINUATION) | (i == message.length - 1 ? 0x80 : 0);
                raw.sendRaw(RawSocket.frame(first, true, new byte[] {message[i]}));
            }
            String delivered = "";
            while (!delivered.contains("\"message\"")) {
                delivered = raw.readUntil(RawSocket.TEXT).text();
            }
            assertTrue(delivered.contains("\"text\":\"€ and 😀\""), delivered);
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8Is1007() throws Exception {
        byte[] payload = closePayload(1000, "");
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        bad.writeBytes(payload);
        bad.write(0xC3);   // a lead byte with nothing after it
        assertFailsWith(CloseCodes.INVALID_PAYLOAD, RawSocket.frame(0x80 | RawSocket.CLOSE, true, bad.toByteArray()));
    }

    // ---- nothing but frames, and a ping is answered ----

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        try (RawSocket raw = welcomedRaw()) {
            raw.send(RawSocket.PING, true, bytes("are you there"));
            RawSocket.Frame pong = raw.readUntil(RawSocket.PONG);
            assertArrayEquals(bytes("are you there"), pong.payload());
        }
    }

    /**
     * Opens a socket, sends {@code frames}, and expects exactly: a close frame with {@code code} as the next
     * non-data frame, then the end of the TCP connection. A frame parser reading anything but frames (such as an HTTP
     * status line) would not find a close frame with this code.
     */
    private static void assertFailsWith(int code, byte[]... frames) throws Exception {
        try (RawSocket raw = welcomedRaw()) {
            for (byte[] f : frames) {
                raw.sendRaw(f);
            }
            RawSocket.Frame close = raw.readUntil(RawSocket.CLOSE);
            assertEquals(code, close.closeCode(), close.closeReason());
            assertTrue(raw.awaitEof(), "the server closes the connection after a protocol error");
        }
    }

    private static RawSocket welcomedRaw() throws Exception {
        return welcomedRaw(nextUser());
    }

    private static RawSocket welcomedRaw(String user) throws Exception {
        RawSocket raw = new RawSocket(server.port(), "?id=" + user);
        assertTrue(raw.upgraded(), raw.responseHead());
        assertEquals("welcome", TestSocketJson.type(raw.readUntil(RawSocket.TEXT)));
        return raw;
    }

    private static String nextUser() {
        return "raw-" + USERS.incrementAndGet();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] closePayload(int code, String reason) {
        byte[] r = bytes(reason);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }

    /** The {@code type} of a JSON text frame. */
    private static final class TestSocketJson {
        static String type(RawSocket.Frame f) {
            return jakarta.json.Json.createReader(new java.io.StringReader(f.text())).readObject().getString("type");
        }
    }
}
