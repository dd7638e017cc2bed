package com.matchbook.realtime.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

/**
 * One HTTP/1.1 exchange written byte for byte, for requests no well-behaved client library would send (a body cut
 * short, a Content-Length that is not a number, a header line without a colon). The request should ask for
 * {@code Connection: close}: the answer is read to the end of the stream.
 */
public final class RawHttp {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private RawHttp() {
    }

    /** Status, head (lower-cased) and body of one answer. */
    public record Answer(int status, String head, String body) {
        public JsonObject json() {
            return Json.parse(body);
        }

        public boolean hasHeader(String nameAndValuePrefix) {
            return head.contains("\r\n" + nameAndValuePrefix.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends {@code request} and reads the answer until the server closes.
     *
     * @param halfClose whether to shut the socket's output after the request, as a client that sent all it will
     */
    public static Answer exchange(int port, byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            String all = new String(readToEnd(socket), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            if (!all.startsWith("HTTP/1.1 ") || end < 0) {
                throw new IOException("not an HTTP/1.1 answer: " + all);
            }
            int status = Integer.parseInt(all.substring(9, 12));
            return new Answer(status, all.substring(0, end + 2).toLowerCase(Locale.ROOT), all.substring(end + 4));
        }
    }

    /** Everything until the server closes, within {@link #WAIT} in all: an answer that does not end fails the read. */
    private static byte[] readToEnd(Socket socket) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IOException("the answer did not end within " + WAIT + ": " + all);
            }
            socket.setSoTimeout((int) left);
            int n = in.read(buffer);
            if (n < 0) {
                return all.toByteArray();
            }
            all.write(buffer, 0, n);
        }
    }

    public static Answer exchange(int port, String request, boolean halfClose) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), halfClose);
    }
}
