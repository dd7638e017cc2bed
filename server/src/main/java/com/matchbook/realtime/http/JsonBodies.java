package com.matchbook.realtime.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.media.type.MediaType;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;

import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;

/**
 * Reads a JSON object body within a byte limit. The limit is checked against Content-Length before reading and
 * enforced while reading (chunked bodies), so an oversized body costs at most the limit in memory. The input rules of
 * PROTOCOL.md "POST /send-message" (1.1): the body is strict UTF-8 (checked here: the JSON-P provider would replace a
 * bad byte with U+FFFD and the message would be stored altered), exactly one JSON object with only whitespace after it,
 * nested at most 64 deep ({@link JsonText}); all three are 400 {@code invalid_json}. A chunked body that breaks
 * HTTP's chunk syntax, or a body that ends before its announced length, fails while read: also 400, never 500.
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
        String text = utf8(body);
        try {
            if (JsonText.parse(text) instanceof JsonObject o) {
                return o;
            }
            throw new BadInputException(400, "invalid_json", "the request body must be a JSON object");
        } catch (JsonException e) {
            throw new BadInputException(400, "invalid_json", "the request body is not valid JSON");
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(400, "invalid_json", "the request body is not valid UTF-8");
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
        } catch (IOException | UncheckedIOException e) {
            throw new BadInputException(400, "invalid_json", "the request body could not be read: " + e.getMessage());
        } catch (RequestException | IllegalArgumentException e) {
            // Helidon's chunked decoder refuses a malformed chunk with a RequestException (missing CRLF) or a
            // NumberFormatException (a size line that is not hex).
            throw new BadInputException(400, "invalid_json", "the request body is malformed: " + e.getMessage());
        } catch (DataReader.InsufficientDataAvailableException e) {
            // The client closed its side before the body its Content-Length or chunks announced: its mistake, so a
            // 400 (which it may no longer read) and no stack trace, never the catch-all's 500.
            throw new BadInputException(400, "invalid_json", "the request body ended before its announced length");
        }
    }
}
