package com.matchbook.realtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PROTOCOL.md "Keepalive": a connection is closed when it "has answered nothing for the heartbeat timeout past a
 * ping". A client uploading one large message over a slow link is answering all along, though no whole message has
 * arrived: the bytes of a frame still coming in count.
 */
class SlowUploadTest {
    @Test
    void aMessageArrivingSlowerThanTheHeartbeatTimeoutIsNotCutOff() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of("matchbook.heartbeat-interval", "PT1S",
                                                               "matchbook.heartbeat-timeout", "PT1S"));
             RawSocket raw = new RawSocket(server.port(), "?id=uploader")) {
            raw.readUntil(RawSocket.TEXT);   // welcome
            String text = "x".repeat(20_000);
            byte[] frame = RawSocket.frame(0x80 | RawSocket.TEXT, true,
                                           ("{\"type\":\"send\",\"ref\":\"slow\",\"to\":\"up-peer\",\"text\":\"" + text
                                                    + "\"}").getBytes(StandardCharsets.UTF_8));
            int pieces = 10;
            int size = frame.length / pieces + 1;
            for (int at = 0; at < frame.length; at += size) {
                raw.sendRaw(Arrays.copyOfRange(frame, at, Math.min(frame.length, at + size)));
                // The slow link itself, not a wait for a condition: 10 pieces over 4 s, past interval + timeout (2 s).
                Thread.sleep(400);
            }
            while (true) {
                RawSocket.Frame f = raw.read();
                assertTrue(f.opcode() != RawSocket.CLOSE, "closed mid-upload: " + f.closeCode() + " " + f.closeReason());
                if (f.opcode() == RawSocket.PING) {
                    raw.send(RawSocket.PONG, true, f.payload());
                } else if (f.opcode() == RawSocket.TEXT && f.text().contains("\"type\":\"ack\"")) {
                    assertTrue(f.text().contains("\"ref\":\"slow\""), f.text());
                    break;
                }
            }
            assertEquals(1, server.app().hub().connectionsOf("uploader"), "still connected");
        }
    }
}
