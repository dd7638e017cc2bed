package com.matchbook.realtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** permessage-deflate (RFC 7692) with {@code matchbook.compression=true}: negotiation, both directions, and limits. */
class CompressionTest {
    private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.compression", "true", "matchbook.heartbeat-interval", "PT60S"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anOfferIsAcceptedWithServerNoContextTakeover() throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), "?id=offer", OFFER)) {
            String head = raw.responseHead().toLowerCase();
            assertTrue(head.contains("sec-websocket-extensions: permessage-deflate; server_no_context_takeover"), head);
        }
    }

    @Test
    void aSmallerServerWindowIsAgreedAndRepeatedInTheAnswer() throws Exception {
        // RFC 7692 7.1.2.1: the answer carries server_max_window_bits with the same or a smaller value.
        try (RawSocket raw = new RawSocket(server.port(), "?id=small-window",
                                           "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n")) {
            assertTrue(raw.responseHead().toLowerCase().contains("server_max_window_bits=10"), raw.responseHead());
        }
    }

    @Test
    void anInvalidOfferIsDeclinedAndTheNextOneTaken() throws Exception {
        // RFC 7692 7: an unknown parameter or a window outside 8-15 makes an offer invalid; the server tries the next.
        try (RawSocket raw = new RawSocket(server.port(), "?id=two-offers",
                                           "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7, "
                                                   + "permessage-deflate; client_no_context_takeover\r\n")) {
            assertTrue(raw.upgraded());
            String head = raw.responseHead().toLowerCase();
            assertTrue(head.contains("permessage-deflate; server_no_context_takeover; client_no_context_takeover"), head);
            assertFalse(head.contains("server_max_window_bits"), head);
        }
        try (RawSocket raw = new RawSocket(server.port(), "?id=bad-offer",
                                           "Sec-WebSocket-Extensions: permessage-deflate; color=blue\r\n")) {
            assertTrue(raw.upgraded());
            assertFalse(raw.responseHead().toLowerCase().contains("sec-websocket-extensions"), raw.responseHead());
        }
        // 7.1.2.1: "without leading zeroes"; 09 is not 9.
        for (String bits : new String[] {"server_max_window_bits=09", "client_max_window_bits=08"}) {
            try (RawSocket raw = new RawSocket(server.port(), "?id=zero-" + bits.charAt(0),
                                               "Sec-WebSocket-Extensions: permessage-deflate; " + bits + "\r\n")) {
                assertTrue(raw.upgraded());
                assertFalse(raw.responseHead().toLowerCase().contains("sec-websocket-extensions"), raw.responseHead());
            }
        }
    }

    @Test
    void compressedMessagesGoBothWaysAndRsv1MarksThem() throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), "?id=squeezed", OFFER)) {
            raw.readUntil(RawSocket.TEXT);   // welcome
            String text = "a message long enough to be worth compressing, ".repeat(4);
            byte[] send = ("{\"type\":\"send\",\"ref\":\"z\",\"to\":\"squeezed\",\"text\":\"" + text + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            raw.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, deflate(send)));
            String delivered = "";
            while (!delivered.contains("\"type\":\"message\"")) {
                RawSocket.Frame f = raw.readUntil(RawSocket.TEXT);
                delivered = (f.rsv() & 4) != 0 ? new String(inflate(f.payload()), StandardCharsets.UTF_8) : f.text();
                if (delivered.contains("\"type\":\"message\"")) {
                    assertEquals(4, f.rsv(), "a large message comes compressed (RSV1 only)");
                }
            }
            assertTrue(delivered.contains(text), delivered);
        }
    }

    @Test
    void oneBroadcastReachesPlainAndCompressingConnectionsEachInItsOwnForm() throws Exception {
        // One frame goes to connections that agreed permessage-deflate and to ones that did not: each gets it in its
        // own form (RFC 7692 6: RSV1 only on a compressed message), whatever the others were written.
        String text = "news long enough to be worth compressing, ".repeat(4);
        try (RawSocket plainFirst = new RawSocket(server.port(), "?id=plain-1");
             RawSocket squeezed = new RawSocket(server.port(), "?id=squeezed-1", OFFER);
             RawSocket plainLast = new RawSocket(server.port(), "?id=plain-2")) {
            for (RawSocket raw : new RawSocket[] {plainFirst, squeezed, plainLast}) {
                raw.readUntil(RawSocket.TEXT);   // welcome
            }
            assertEquals(202, Http.postJson(server.http("/api/broadcast"), "{\"text\":\"" + text + "\"}").status());
            for (RawSocket raw : new RawSocket[] {plainFirst, plainLast}) {
                RawSocket.Frame f = broadcastFrame(raw);
                assertEquals(0, f.rsv(), "a plain connection gets the frame uncompressed");
                assertTrue(f.text().contains(text), f.text());
            }
            RawSocket.Frame f = broadcastFrame(squeezed);
            assertEquals(4, f.rsv(), "the compressing connection gets it compressed (RSV1 only)");
            assertTrue(new String(inflate(f.payload()), StandardCharsets.UTF_8).contains(text));
        }
    }

    @Test
    void noContextTakeoverClientsShareNoStateAndABrokenMessageClosesOnlyItsOwnConnection() throws Exception {
        // client_no_context_takeover (RFC 7692 7.1.1.2): each message is a deflate stream of its own. Two such
        // clients take turns; a third sends data that is not deflate (7.2.2: fail the connection, 1007) halfway.
        String offer = "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n";
        try (RawSocket ann = new RawSocket(server.port(), "?id=nct-ann", offer);
             RawSocket ben = new RawSocket(server.port(), "?id=nct-ben", offer);
             RawSocket broken = new RawSocket(server.port(), "?id=nct-broken", offer)) {
            for (RawSocket raw : new RawSocket[] {ann, ben, broken}) {
                raw.readUntil(RawSocket.TEXT);   // welcome
            }
            for (int i = 0; i < 5; i++) {
                String toBen = "ann's line " + i + ", long enough to be worth compressing on its own";
                String toAnn = "ben's reply " + i + " which is a different text altogether, also compressed";
                ann.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, deflate(send("nct-ben", toBen))));
                ben.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, deflate(send("nct-ann", toAnn))));
                if (i == 2) {
                    byte[] half = deflate(send("nct-ann", "this one never arrives"));
                    byte[] notDeflate = Arrays.copyOf(half, half.length + 3);
                    // The message ends inside an empty stored block's header (7.2.1 took its LEN and NLEN away):
                    // LEN 7 against NLEN 0 is not its complement (RFC 1951 3.2.4).
                    notDeflate[half.length] = 0x07;
                    broken.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, notDeflate));
                    assertEquals(CloseCodes.INVALID_PAYLOAD, broken.readUntil(RawSocket.CLOSE).closeCode());
                }
                assertEquals(toBen, messageText(ben, "nct-ben"));
                assertEquals(toAnn, messageText(ann, "nct-ann"));
            }
        }
    }

    @Test
    void aSendClosedWithAFinalBlockIsDeliveredWholeAndSoIsTheNextOne() throws Exception {
        // RFC 7692 7.2.3.4: a sender may end a message's stream with a final block (BFINAL) and then the first byte
        // of an empty stored block; its next message starts a new stream on the same connection.
        try (RawSocket raw = new RawSocket(server.port(), "?id=finisher", OFFER)) {
            raw.readUntil(RawSocket.TEXT);   // welcome
            String first = "the first message, whose deflate stream ends with a final block";
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(send("finisher-peer", first));
            d.finish();
            byte[] out = new byte[512];
            int n = d.deflate(out);
            d.end();
            byte[] closed = Arrays.copyOf(out, n + 1);   // + 0x00, 7.2.3.4's empty stored block's first byte
            try (TestSocket peer = TestSocket.welcomed(server.ws("?id=finisher-peer"))) {
                raw.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, closed));
                assertEquals(first, peer.next("message").getString("text"));
                String second = "the second message, sync-flushed as usual";
                byte[] synced = deflate(send("finisher-peer", second));
                raw.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, synced));
                assertEquals(second, peer.next("message").getString("text"));
            }
        }
    }

    private static byte[] send(String to, String text) {
        return ("{\"type\":\"send\",\"to\":\"" + to + "\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The text of the next {@code message} frame delivered to this connection (its own copies skipped). */
    private static String messageText(RawSocket raw, String me) throws Exception {
        while (true) {
            RawSocket.Frame f = raw.readUntil(RawSocket.TEXT);
            String json = (f.rsv() & 4) != 0 ? new String(inflate(f.payload()), StandardCharsets.UTF_8) : f.text();
            if (json.contains("\"type\":\"message\"") && !json.contains("\"from\":\"" + me + "\"")) {
                return jakarta.json.Json.createReader(new java.io.StringReader(json)).readObject().getString("text");
            }
        }
    }

    /** The next text frame that carries a broadcast ({@code "broadcast":true}), skipping any other frame. */
    private static RawSocket.Frame broadcastFrame(RawSocket raw) throws Exception {
        while (true) {
            RawSocket.Frame f = raw.readUntil(RawSocket.TEXT);
            String json = (f.rsv() & 4) != 0 ? new String(inflate(f.payload()), StandardCharsets.UTF_8) : f.text();
            if (json.contains("\"broadcast\":true")) {
                return f;
            }
        }
    }

    @Test
    void aDeflateBombIsClosedWith1009AndTheServerCarriesOn() throws Exception {
        // 64 MiB of spaces inside a JSON string deflate to about 64 KiB; the text limit is 64 KiB after inflation.
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] spaces = new byte[1 << 20];
        Arrays.fill(spaces, (byte) ' ');
        byte[] buf = new byte[1 << 16];
        for (int i = 0; i < 64; i++) {
            d.setInput(spaces);
            while (!d.needsInput()) {
                compressed.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
            }
        }
        int n;
        while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
            compressed.write(buf, 0, n);
        }
        d.end();
        byte[] bomb = compressed.toByteArray();
        assertTrue(bomb.length < 200_000, "a small input: " + bomb.length);
        try (RawSocket raw = new RawSocket(server.port(), "?id=bomber", OFFER)) {
            raw.readUntil(RawSocket.TEXT);
            raw.sendRaw(RawSocket.frame(0x80 | 0x40 | RawSocket.TEXT, true, bomb));
            assertEquals(CloseCodes.TOO_BIG, raw.readUntil(RawSocket.CLOSE).closeCode());
        }
        try (TestSocket s = TestSocket.welcomed(server.ws("?id=after-bomb"))) {
            assertEquals(202, Http.postJson(server.http("/send-message"), "{\"to\":\"after-bomb\",\"text\":\"ok\"}").status());
            assertEquals("ok", s.next("message").getString("text"));
        }
    }

    /** RFC 7692 7.2.1: deflate with a sync flush, then drop the trailing 00 00 FF FF. */
    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        byte[] out = new byte[data.length + 64];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return Arrays.copyOf(out, n - 4);
    }

    private static byte[] inflate(byte[] data) throws Exception {
        Inflater i = new Inflater(true);
        byte[] withTail = Arrays.copyOf(data, data.length + 4);
        withTail[data.length + 2] = (byte) 0xFF;
        withTail[data.length + 3] = (byte) 0xFF;
        i.setInput(withTail);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!i.needsInput()) {
            int n = i.inflate(buf);
            out.write(buf, 0, n);
        }
        i.end();
        return out.toByteArray();
    }
}
