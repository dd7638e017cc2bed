package com.matchbook.realtime.redis;

import java.io.StringWriter;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;

/**
 * A message as Redis keeps it and as nodes pass it to each other: {@code "<seq>|<json>"}, where the JSON has every
 * field but the seq (the append script assigns that) and a binary payload in base64.
 */
final class RedisCodec {
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private RedisCodec() {
    }

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
            d.dataValue().ifPresent(v -> g.write("data", v));
            d.attachmentValue().ifPresent(a -> g.write("name", a.name())
                    .write("contentType", a.contentType())
                    .write("payload", Base64.getEncoder().encodeToString(a.bytes())));
            g.writeEnd();
        }
        return out.toString();
    }

    /** Decodes {@code "<seq>|<json>"}. */
    static Message decode(String member) {
        int bar = member.indexOf('|');
        long seq = Long.parseLong(member.substring(0, bar));
        JsonObject o = JsonText.parse(member.substring(bar + 1)).asJsonObject();
        Attachment attachment = null;
        if (o.containsKey("payload")) {
            attachment = new Attachment(o.getString("name", ""), o.getString("contentType", "application/octet-stream"),
                                        Base64.getDecoder().decode(o.getString("payload")));
        }
        return new Message(o.getString("id"), seq, o.getString("channel"), o.getString("from"), o.getString("to"),
                           o.containsKey("text") ? o.getString("text") : null,
                           o.get("data"), attachment, Instant.parse(o.getString("sentAt")), 0);
    }
}
