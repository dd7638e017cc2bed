package com.matchbook.realtime.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import com.matchbook.realtime.protocol.Attachment;

import jakarta.json.JsonValue;

/**
 * A message accepted from a client but not yet numbered: {@code /send-message}, a {@code send} frame, or a binary
 * frame. Validated before it is built.
 */
public record Draft(String from, String to, String channel, String text, JsonValue data, Attachment attachment) {

    public Optional<String> textValue() {
        return Optional.ofNullable(text);
    }

    public Optional<JsonValue> dataValue() {
        return Optional.ofNullable(data);
    }

    public Optional<Attachment> attachmentValue() {
        return Optional.ofNullable(attachment);
    }

    /**
     * What a repeat under the same idempotency key must match (docs/protocol.md "Idempotent sends (1.1)"): the SHA-256,
     * in 64 lowercase hex digits, of the recipient, channel, text, data (as compact JSON) and attachment (name, content
     * type, bytes), each part length-prefixed so that no two drafts share an encoding.
     */
    public String fingerprint() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        part(sha, to.getBytes(StandardCharsets.UTF_8));
        part(sha, channel.getBytes(StandardCharsets.UTF_8));
        part(sha, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
        part(sha, data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8));
        part(sha, attachment == null ? null : attachment.name().getBytes(StandardCharsets.UTF_8));
        part(sha, attachment == null ? null : attachment.contentType().getBytes(StandardCharsets.UTF_8));
        part(sha, attachment == null ? null : attachment.bytes());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void part(MessageDigest sha, byte[] bytes) {
        int n = bytes == null ? -1 : bytes.length;
        sha.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        if (bytes != null) {
            sha.update(bytes);
        }
    }
}
