package com.matchbook.realtime.message;

/**
 * The payload of a binary message: a file or blob sent in a binary frame.
 *
 * @param name        file name as the sender gave it (may be empty)
 * @param contentType MIME type as the sender gave it
 * @param bytes       the payload; never modified after construction
 */
public record Attachment(String name, String contentType, byte[] bytes) {
    public int size() {
        return bytes.length;
    }
}
