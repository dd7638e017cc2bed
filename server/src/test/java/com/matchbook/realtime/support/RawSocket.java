package com.matchbook.realtime.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A hand-made WebSocket client that sees and sends control frames, and can misbehave (stay silent, send garbage),
 * which no well-behaved client library allows.
 */
public final class RawSocket implements AutoCloseable {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CONTINUATION = 0;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One frame as it came off the wire; {@code rsv} holds RSV1 as 4, RSV2 as 2, RSV3 as 1. */
    public record Frame(int opcode, boolean fin, int rsv, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String responseHead;

    public RawSocket(int port, String query) throws IOException {
        this(port, query, "");
    }

    public RawSocket(int port, String query, String extraHeaders) throws IOException {
        this(port, ("GET /ws" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + newKey() + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends {@code requestHead} as it is (request line, headers and the blank line) and reads the answer's head. */
    public static RawSocket request(int port, String requestHead) throws IOException {
        return new RawSocket(port, requestHead.getBytes(StandardCharsets.US_ASCII));
    }

    private RawSocket(int port, byte[] requestHead) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) TestSocket.WAIT.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
        out.write(requestHead);
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during handshake: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        responseHead = head.toString(StandardCharsets.US_ASCII);
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    public static String newKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The upgrade response's status line and headers. */
    public String responseHead() {
        return responseHead;
    }

    public boolean upgraded() {
        return responseHead.startsWith("HTTP/1.1 101");
    }

    public Frame read() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = (readByte() << 8) | readByte();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) len);
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, (b0 >>> 4) & 0x7, payload);
    }

    /** Reads frames until one with this opcode arrives. */
    public Frame readUntil(int opcode) throws IOException {
        while (true) {
            Frame f = read();
            if (f.opcode() == opcode) {
                return f;
            }
        }
    }

    public void send(int opcode, boolean fin, byte[] payload) throws IOException {
        sendRaw(frame((fin ? 0x80 : 0) | opcode, true, payload));
    }

    /**
     * One frame with any first byte (FIN, RSV bits, opcode), masked or not, as a client could write it.
     */
    public static byte[] frame(int firstByte, boolean masked, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            frame.write(maskBit | n);
        } else if (n < 65536) {
            frame.write(maskBit | 126);
            frame.write(n >>> 8);
            frame.write(n);
        } else {
            frame.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) n >>> (i * 8)));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            RANDOM.nextBytes(mask);
            frame.write(mask, 0, 4);
        }
        for (int i = 0; i < n; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    public void sendText(String text) throws IOException {
        send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes straight onto the socket, frame or not. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Whether the server has closed the TCP connection (reads EOF or reset within the wait). */
    public boolean awaitEof() {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException("socket closed");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
