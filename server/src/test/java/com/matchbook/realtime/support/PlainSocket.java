package com.matchbook.realtime.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare TCP client for what HTTP libraries will not do: send half a request head, stay silent, hold a connection,
 * and tell when the server hangs up.
 */
public final class PlainSocket implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    public PlainSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) TestSocket.WAIT.toMillis());
        in = socket.getInputStream();
    }

    public PlainSocket send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return this;
    }

    /** A complete {@code GET} head with the given extra header lines (each ending in CRLF). */
    public PlainSocket get(String path, String extraHeaders) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n");
    }

    /** Reads one response: status line and headers, then a Content-Length body. */
    public String readResponse() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a whole response head: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : h.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /**
     * Whether the server closes the connection within {@code within} (end of stream or reset). Bytes that arrive
     * meanwhile are read and dropped.
     */
    public boolean closedWithin(Duration within) throws IOException {
        socket.setSoTimeout((int) Math.max(1, within.toMillis()));
        try {
            while (in.read() >= 0) {
                // drop
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        } finally {
            socket.setSoTimeout((int) TestSocket.WAIT.toMillis());
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
