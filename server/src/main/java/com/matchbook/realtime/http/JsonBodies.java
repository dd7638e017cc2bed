package com.matchbook.realtime.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

import io.helidon.common.media.type.MediaType;
import io.helidon.webserver.http.ServerRequest;

import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;

/**
 * Reads a JSON object body within a byte limit. The limit is checked against Content-Length before reading and
 * enforced while reading (chunked bodies), so an oversized body costs at most the limit in memory.
 */
public final class JsonBodies {
    private JsonBodies() {
    }

    public static JsonObject object(ServerRequest req, long maxBytes) {
        requireJson(req);
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            throw BadInputException.tooLarge("the request body", maxBytes);
        }
        byte[] body = read(req.content().inputStream(), maxBytes);
        if (body.length == 0) {
            throw new BadInputException(400, "invalid_json", "the request body is empty; send a JSON object");
        }
        try {
            if (JsonText.parse(new ByteArrayInputStream(body)) instanceof JsonObject o) {
                return o;
            }
            throw new BadInputException(400, "invalid_json", "the request body must be a JSON object");
        } catch (JsonException e) {
            throw new BadInputException(400, "invalid_json", "the request body is not valid JSON");
        }
    }

    private static void requireJson(ServerRequest req) {
        boolean json = req.headers().contentType()
                .map(t -> {
                    MediaType m = t.mediaType();
                    return m.type().equalsIgnoreCase("application")
                            && (m.subtype().equalsIgnoreCase("json") || m.subtype().toLowerCase().endsWith("+json"));
                })
                .orElse(false);
        if (!json) {
            throw new BadInputException(415, "unsupported_media_type", "send Content-Type: application/json");
        }
    }

    private static byte[] read(InputStream in, long maxBytes) {
        try (in) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw BadInputException.tooLarge("the request body", maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
