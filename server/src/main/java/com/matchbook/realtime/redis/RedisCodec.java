package com.matchbook.realtime.redis;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * A stream entry as Redis keeps it and as nodes pass it to each other: {@code "<seq>|<json>"}. The JSON holds every
 * field but the seq (the script assigns it) and the stream's user (the key it is in, or the publication's prefix), so
 * one JSON text serves the recipient's copy and the sender's.
 *
 * <p>Every value in the JSON is a string or a boolean: {@code data} is kept as its JSON text in a string, and a binary
 * payload in base64. That lets the edit and delete scripts decode and re-encode an entry with Redis's Lua cjson
 * without changing a byte of what the user sent (cjson rewrites numbers and cannot tell {@code []} from
 * {@code {}}). Fields: {@code id, channel, from, to, sentAt} (an update entry's is its {@code at}), {@code text},
 * {@code data}, {@code name, contentType, payload}, {@code editedAt}, {@code deleted} (true), {@code update}
 * ({@code edit}/{@code delete}, only on an update entry).
 */
final class RedisCodec {
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private RedisCodec() {
    }

    /** A new message's JSON (no seq, no user). */
    static String encode(Draft d, String id, Instant sentAt) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = GENERATORS.createGenerator(out)) {
            g.writeStartObject()
                    .write("id", id)
                    .write("channel", d.channel())
                    .write("from", d.from())
                    .write("to", d.to())
                    .write("sentAt", sentAt.toString());
            d.textValue().ifPresent(t -> g.write("text", t));
            d.dataValue().ifPresent(v -> g.write("data", dataText(v)));
            d.attachmentValue().ifPresent(a -> g.write("name", a.name())
                    .write("contentType", a.contentType())
                    .write("payload", Base64.getEncoder().encodeToString(a.bytes())));
            g.writeEnd();
        }
        return out.toString();
    }

    /** How {@code data} is kept: its compact JSON text. */
    static String dataText(JsonValue data) {
        return data.toString();
    }

    /** Decodes {@code "<seq>|<json>"} of {@code user}'s stream. */
    static Message decode(String user, String member) {
        int bar = member.indexOf('|');
        long seq = Long.parseLong(member.substring(0, bar));
        JsonObject o = JsonText.parse(member.substring(bar + 1)).asJsonObject();
        Attachment attachment = null;
        if (o.containsKey("payload")) {
            attachment = new Attachment(o.getString("name", ""), o.getString("contentType", "application/octet-stream"),
                                        Base64.getDecoder().decode(o.getString("payload")));
        }
        Instant sentAt = Instant.parse(o.getString("sentAt"));
        Update update = o.containsKey("update") ? new Update(Update.Action.of(o.getString("update")), sentAt) : null;
        Instant editedAt = o.containsKey("editedAt") ? Instant.parse(o.getString("editedAt")) : null;
        return new Message(user, seq, o.getString("id"), o.getString("channel"), o.getString("from"),
                           o.getString("to"), o.containsKey("text") ? o.getString("text") : null, data(o),
                           attachment, sentAt, editedAt, o.getBoolean("deleted", false), update, 0);
    }

    /** A publication: {@code "<user>\n<seq>|<json>"} (the script prefixes it with {@code M}). */
    static Message decodePublished(String payload) {
        int nl = payload.indexOf('\n');
        return decode(payload.substring(0, nl), payload.substring(nl + 1));
    }

    private static JsonValue data(JsonObject o) {
        JsonValue v = o.get("data");
        // Entries written before data was kept as text hold it as JSON itself.
        return v instanceof JsonString s ? JsonText.parse(s.getString()) : v;
    }
}
