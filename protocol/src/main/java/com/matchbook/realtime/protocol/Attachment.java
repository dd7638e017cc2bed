package com.matchbook.realtime.protocol;

/**
 * The payload of a binary message: a file or blob sent in a binary frame (PROTOCOL.md "Binary frames").
 *
 * @param name        file name as the sender gave it (may be empty)
 * @param contentType MIME type as the sender gave it
 * @param bytes       the payload; never modified after construction
 */
public record Attachment(String name, String contentType, byte[] bytes) {
    /** The payload's length in bytes. */
    public int size() {
        return bytes.length;
    }
}
