package com.matchbook.realtime.limits;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import io.helidon.common.socket.PlainSocket;

import com.matchbook.realtime.support.RunningServer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The smaller per-socket read buffer changes how much one read returns, never what arrives. */
class SocketReadBufferTest {

    @Test
    void bytesArriveWholeAndInOrderAtMostOneKibibytePerRead() throws Exception {
        byte[] sent = new byte[5000];
        new Random(14).nextBytes(sent);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             Socket accepted = listener.accept()) {
            PlainSocket socket = PlainSocket.server(accepted, "test", "test");
            assertTrue(SocketReadBuffer.shrink(socket), "this Helidon's PlainSocket takes the smaller buffer");
            OutputStream out = client.getOutputStream();
            out.write(sent);
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            while (received.size() < sent.length) {
                byte[] chunk = socket.get();
                assertTrue(chunk.length <= SocketReadBuffer.BYTES, "one read returned " + chunk.length + " bytes");
                received.writeBytes(chunk);
            }
            assertArrayEquals(sent, received.toByteArray());
        }
    }

    @Test
    void aRequestHeadLargerThanTheBufferIsStillServed() throws Exception {
        try (RunningServer server = RunningServer.start(Map.of())) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.http("/health"))
                            .header("X-Padding", "p".repeat(6 * SocketReadBuffer.BYTES))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
        }
    }
}
