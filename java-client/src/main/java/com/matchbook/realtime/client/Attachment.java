package com.matchbook.realtime.client;

import java.util.Arrays;

/** The file of a binary message (PROTOCOL.md, "Binary frames"). */
public final class Attachment {
    private final String name;
    private final String contentType;
    private final byte[] bytes;

    Attachment(String name, String contentType, byte[] bytes) {
        this.name = name;
        this.contentType = contentType;
        this.bytes = bytes;
    }

    public String name() {
        return name;
    }

    public String contentType() {
        return contentType;
    }

    public int size() {
        return bytes.length;
    }

    /** A copy: the message is shared by every listener, so none may change what the others see. */
    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    @Override
    public String toString() {
        return "Attachment[" + name + ", " + contentType + ", " + bytes.length + " bytes]";
    }
}
