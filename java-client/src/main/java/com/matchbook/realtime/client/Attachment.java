package com.matchbook.realtime.client;

import java.util.Arrays;

/** The file of a binary message (docs/protocol.md, "Binary frames"). */
public final class Attachment {
    private final com.matchbook.realtime.protocol.Attachment wire;

    Attachment(com.matchbook.realtime.protocol.Attachment wire) {
        this.wire = wire;
    }

    /** The file name as the sender gave it ({@code file} when it gave none). */
    public String name() {
        return wire.name();
    }

    /** The MIME type as the sender gave it ({@code application/octet-stream} when it gave none). */
    public String contentType() {
        return wire.contentType();
    }

    /** The payload's length in bytes. */
    public int size() {
        return wire.size();
    }

    /** A copy: the message is shared by every listener, so none may change what the others see. */
    public byte[] bytes() {
        return Arrays.copyOf(wire.bytes(), wire.size());
    }

    @Override
    public String toString() {
        return "Attachment[" + name() + ", " + contentType() + ", " + size() + " bytes]";
    }
}
