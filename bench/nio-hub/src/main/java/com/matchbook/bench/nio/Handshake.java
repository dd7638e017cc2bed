package com.matchbook.bench.nio;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP side of a socket: one request head, answered with the WebSocket upgrade of RFC 6455 section 4.2.2 for
 * {@code GET /ws?id=...}, with {@code {"status":"UP"}} for {@code GET /health}, and with an error otherwise. Every
 * answer but the upgrade ends the connection.
 */
final class Handshake {
    /** The request head has not all arrived. */
    static final Answer INCOMPLETE = new Answer(new byte[0], null);
    /** RFC 6455 section 1.3: appended to the client's key before hashing. */
    private static final String KEY_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Handshake() {
    }

    /**
     * @param response the bytes to write
     * @param user     after a 101: the {@code id} asked for ({@code ""} when none); null when the socket ends after
     *                 the response
     */
    record Answer(byte[] response, String user) {
    }

    /** Reads one request head from {@code in}, leaving it after the head; {@link #INCOMPLETE} leaves it unmoved. */
    static Answer read(ByteBuffer in, int max) {
        int end = headEnd(in);
        if (end < 0) {
            return in.remaining() > max ? status("431 Request Header Fields Too Large") : INCOMPLETE;
        }
        byte[] head = new byte[end - in.position()];
        in.get(head);
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length != 3 || !request[0].equals("GET")) {
            return status("400 Bad Request");
        }
        String target = request[1];
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (path.equals("/health")) {
            return new Answer(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
                    + "Connection: close\r\n\r\n{\"status\":\"UP\"}").getBytes(StandardCharsets.ISO_8859_1), null);
        }
        String key = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                key = lines[i].substring(colon + 1).trim();
            }
        }
        if (!path.equals("/ws") || key == null) {
            return status(path.equals("/ws") ? "400 Bad Request" : "404 Not Found");
        }
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
        return new Answer(response.getBytes(StandardCharsets.ISO_8859_1), user(query < 0 ? "" : target.substring(query + 1)));
    }

    /** The position just past the head's blank line, or -1 when it has not arrived. */
    private static int headEnd(ByteBuffer in) {
        for (int i = in.position(); i + 3 < in.limit(); i++) {
            if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static String user(String query) {
        for (String pair : query.split("&")) {
            if (pair.startsWith("id=")) {
                try {
                    return URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return "";   // a broken escape: no usable id, answered as a missing one
                }
            }
        }
        return "";
    }

    private static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + KEY_GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static Answer status(String status) {
        return new Answer(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), null);
    }
}
