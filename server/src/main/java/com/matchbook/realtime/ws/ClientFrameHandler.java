package com.matchbook.realtime.ws;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Claims;
import com.matchbook.realtime.auth.TokenException;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.hub.Connection;
import com.matchbook.realtime.hub.Ending;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Drafts;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.IdempotencyKeys;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.BinaryFrames;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.JsonText;
import com.matchbook.realtime.protocol.Utf8;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreRefusal;
import com.matchbook.realtime.store.StoreUnavailableException;
import com.matchbook.realtime.ws.wire.WireLoops;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * What each client frame does. A bad frame gets an {@code error} frame (with its {@code ref}) and the connection
 * stays open; nothing here throws into Helidon, which would close the socket.
 */
final class ClientFrameHandler {
    private static final System.Logger LOG = System.getLogger(ClientFrameHandler.class.getName());

    private final Hub hub;
    private final Delivery delivery;
    private final Drafts drafts;
    /**
     * The frame kinds whose store calls may wait: a {@code read} marker waits for the journal's next sync (or SQLite's
     * writer), {@code received} and {@code edit}/{@code delete} may read the archive. Their replies do not depend on
     * when a later {@code send} of the same connection is taken, only on their own order, which the lane keeps.
     */
    static final Set<String> MAY_WAIT = Set.of("read", "received", "edit", "delete");
    private final Access access;
    private final int maxBinaryBytes;
    private final int maxTextBytes;

    ClientFrameHandler(Hub hub, Delivery delivery, Settings settings, Access access) {
        this.hub = hub;
        this.access = access;
        this.maxBinaryBytes = settings.maxBinaryBytes();
        this.maxTextBytes = settings.maxTextBytes();
        this.delivery = delivery;
        this.drafts = new Drafts(settings.maxTextBytes());
    }

    /**
     * A connection's queue for the frames handled off its selector thread ({@link SerialLane}); {@link #busy()} while
     * it holds or runs any.
     */
    interface Lane extends Executor {
        boolean busy();
    }

    /**
     * One text frame. On a selector thread ({@link WireLoops#onSelectorThread()}) the kinds that may wait for the
     * store's disk ({@link #MAY_WAIT}) run on {@code lane}, the connection's own queue; every other kind, {@code send}
     * included (its store answers with a future), runs here, unless the lane is busy: then it queues behind, so that
     * a connection's frames take effect in the order they came (a {@code pong} after a {@code read} means the read is
     * applied, as with a thread per connection).
     */
    void text(Connection c, String text, Lane lane) {
        if (WireLoops.onSelectorThread() && lane.busy()) {
            lane.execute(() -> text(c, text, lane));   // on the lane's thread: handled at once, in order
            return;
        }
        Optional<JsonValue> ref = Optional.empty();
        JsonObject frame;
        String type;
        try {
            frame = parseObject(text);
            ref = ref(frame);
            type = Drafts.optionalString(frame, "type").orElseThrow(() -> BadInputException.missing("type"));
        } catch (BadInputException e) {
            hub.reply(c, Frames.error(e.code(), e.getMessage(), ref));
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=frame-failed user=" + c.userId() + " conn=" + c.id(), e);
            hub.reply(c, Frames.error("internal", "the server could not handle this frame", ref));
            return;
        }
        if (MAY_WAIT.contains(type) && WireLoops.onSelectorThread()) {
            Optional<JsonValue> r = ref;
            lane.execute(() -> handle(c, type, frame, r));
        } else {
            handle(c, type, frame, ref);
        }
    }

    private void handle(Connection c, String type, JsonObject frame, Optional<JsonValue> ref) {
        try {
            switch (type) {
                case "send" -> send(c, drafts.read(frame, c.userId(), null), key(frame), ref);
                case "edit" -> update(c, delivery.edit(c.userId(), messageId(frame), editText(frame),
                                                       editData(frame)), ref);
                case "delete" -> update(c, delivery.delete(c.userId(), messageId(frame)), ref);
                case "received" -> delivery.received(c.userId(), seq(frame));
                case "read" -> read(c, frame, ref);
                case "typing" -> typing(c, frame);
                case "subscribe" -> c.subscribe(channels(frame));
                case "auth" -> auth(c, frame);
                case "ping" -> hub.reply(c, Frames.pong());
                case "pong" -> { } // an answer to our ping frame: already counted as a sign of life
                default -> throw new BadInputException(400, "unknown_type", "unknown frame type '" + type + "'");
            }
        } catch (BadInputException e) {
            hub.reply(c, Frames.error(e.code(), e.getMessage(), ref));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=frame-failed user=" + c.userId() + " conn=" + c.id(), e);
            hub.reply(c, Frames.error("internal", "the server could not handle this frame", ref));
        }
    }

    /** One binary frame (a {@code send} with an attachment): queued behind a busy lane, as {@link #text} says. */
    void binary(Connection c, byte[] bytes, Lane lane) {
        if (WireLoops.onSelectorThread() && lane.busy()) {
            lane.execute(() -> binary(c, bytes, lane));
            return;
        }
        Optional<JsonValue> ref = Optional.empty();
        try {
            BinaryFrames.Parts parts = BinaryFrames.decode(bytes, Settings.MAX_BINARY_HEADER_BYTES);
            if (parts.payload().length > maxBinaryBytes) {
                hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.TOO_BIG, "binary payload over " + maxBinaryBytes + " bytes");
                return;
            }
            JsonObject header = parseObject(parts.headerJson());
            ref = ref(header);
            String type = Drafts.optionalString(header, "type").orElse("send");
            if (!type.equals("send")) {
                throw new BadInputException(400, "unknown_type", "a binary frame's header must be a 'send'");
            }
            Attachment attachment = new Attachment(Drafts.optionalString(header, "name").orElse(""),
                                                   Drafts.optionalString(header, "contentType")
                                                           .orElse("application/octet-stream"),
                                                   parts.payload());
            send(c, drafts.read(header, c.userId(), attachment), key(header), ref);
        } catch (BinaryFrames.HeaderNotUtf8Exception e) {
            // PROTOCOL.md "POST /send-message" (1.1): input that is not valid UTF-8 in a frame is invalid_json.
            hub.reply(c, Frames.error("invalid_json", e.getMessage(), ref));
        } catch (BinaryFrames.MalformedFrameException e) {
            hub.reply(c, Frames.error("invalid_frame", e.getMessage(), ref));
        } catch (BadInputException e) {
            hub.reply(c, Frames.error(e.code(), e.getMessage(), ref));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=frame-failed user=" + c.userId() + " conn=" + c.id(), e);
            hub.reply(c, Frames.error("internal", "the server could not handle this frame", ref));
        }
    }

    private void send(Connection c, Draft draft, Optional<String> key, Optional<JsonValue> ref) {
        delivery.send(draft, key).whenComplete((MessageStore.Accepted m, Throwable error) -> {
            if (error == null) {
                hub.reply(c, Frames.ack(ref, m.id(), m.seq()));
            } else {
                failed(c, error, ref);
            }
        });
    }

    /**
     * An {@code edit} or {@code delete} (docs/protocol.md "Edit and delete (1.1)"): {@code ack} with the message's id
     * and its seq in the author's stream, or an {@code error} with the contract's code.
     */
    private void update(Connection c, CompletableFuture<Message> done, Optional<JsonValue> ref) {
        done.whenComplete((Message m, Throwable error) -> {
            if (error == null) {
                hub.reply(c, Frames.ack(ref, m.id(), m.seq()));
            } else {
                failed(c, error, ref);
            }
        });
    }

    private void failed(Connection c, Throwable error, Optional<JsonValue> ref) {
        Throwable cause = unwrap(error);
        if (cause instanceof StoreRefusal refusal) {
            hub.reply(c, Frames.error(refusal.code(), refusal.getMessage(), ref));
        } else if (cause instanceof StoreUnavailableException) {
            hub.reply(c, Frames.error("unavailable", "the store could not take this; send it again", ref));
        } else {
            LOG.log(Level.WARNING, "event=store-failed user=" + c.userId(), error);
            hub.reply(c, Frames.error("internal", "the store could not take this; send it again", ref));
        }
    }

    /** A send's idempotency key (docs/protocol.md "Idempotent sends (1.1)"), checked. */
    private static Optional<String> key(JsonObject frame) {
        return Drafts.optionalString(frame, "key").map(k -> IdempotencyKeys.check(k, "key"));
    }

    private static String messageId(JsonObject frame) {
        String id = Drafts.optionalString(frame, "id").orElseThrow(() -> BadInputException.missing("id"));
        if (id.isEmpty() || id.length() > 64) {
            throw BadInputException.invalid("id", "is not a message id");
        }
        return id;
    }

    private Optional<String> editText(JsonObject frame) {
        Optional<String> text = Drafts.optionalString(frame, "text");
        if (text.isPresent() && Utf8.length(text.get()) > maxTextBytes) {
            throw BadInputException.tooLarge("'text'", maxTextBytes);
        }
        if (text.isEmpty() && editData(frame).isEmpty()) {
            throw new BadInputException(400, "missing_field", "'text' or 'data' is required");
        }
        return text;
    }

    private static Optional<JsonValue> editData(JsonObject frame) {
        JsonValue data = frame.get("data");
        return data == null || data.getValueType() == JsonValue.ValueType.NULL ? Optional.empty() : Optional.of(data);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    /** A fresh token for the same user extends the connection's life; anything else leaves it as it was. */
    private void auth(Connection c, JsonObject frame) {
        String token = Drafts.optionalString(frame, "token").orElseThrow(() -> BadInputException.missing("token"));
        if (access.tokens().isEmpty()) {
            return;   // auth is off: there is nothing to renew
        }
        Claims claims;
        try {
            claims = access.tokens().get().verify(token);
        } catch (TokenException e) {
            throw new BadInputException(401, "unauthorized", e.getMessage());
        }
        if (!claims.subject().equals(c.userId())) {
            throw new BadInputException(403, "forbidden", "token is for another user");
        }
        c.authorizedUntil(claims.honouredUntil());
    }

    private void read(Connection c, JsonObject frame, Optional<JsonValue> ref) {
        String id = Drafts.optionalString(frame, "id").orElseThrow(() -> BadInputException.missing("id"));
        if (!delivery.read(c.userId(), id)) {
            hub.reply(c, Frames.error("not_found", "no message '" + id + "' in your history", ref));
        }
    }

    private void typing(Connection c, JsonObject frame) {
        String to = Drafts.requiredId(frame, "to");
        String state = Drafts.optionalString(frame, "state").orElse("start");
        if (!state.equals("start") && !state.equals("stop")) {
            throw BadInputException.invalid("state", "must be 'start' or 'stop'");
        }
        delivery.typing(c.userId(), to, state);
    }

    private static long seq(JsonObject frame) {
        JsonValue v = frame.get("seq");
        if (v == null) {
            throw BadInputException.missing("seq");
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            throw BadInputException.invalid("seq", "must be a whole number, 0 or more");
        }
        try {
            long seq = n.longValueExact();   // longValue() would wrap 2^64+1 round to 1: a cursor the client never had
            if (seq >= 0) {
                return seq;
            }
        } catch (ArithmeticException tooBig) {
            // past Long.MAX_VALUE: no stream ever gets there
        }
        throw BadInputException.invalid("seq", "must be a whole number from 0 to " + Long.MAX_VALUE);
    }

    private static Set<String> channels(JsonObject frame) {
        JsonValue v = frame.get("channels");
        if (!(v instanceof JsonArray list)) {
            throw BadInputException.invalid("channels", "must be a list of channel names");
        }
        Set<String> out = new HashSet<>();
        for (JsonValue item : list) {
            if (!(item instanceof JsonString s)) {
                throw BadInputException.invalid("channels", "must be a list of channel names");
            }
            out.add(s.getString());
        }
        return out;
    }

    /**
     * {@code ref} is the client's: echoed back exactly as given, whatever JSON value it is (PROTOCOL.md "Frames":
     * "answered by ack or error with the same ref"; docs/asyncapi.yaml), {@code null} included; absent when the frame
     * has none.
     */
    private static Optional<JsonValue> ref(JsonObject frame) {
        return Optional.ofNullable(frame.get("ref"));
    }

    private static JsonObject parseObject(String text) {
        try {
            if (JsonText.parse(text) instanceof JsonObject o) {
                return o;
            }
            throw new BadInputException(400, "invalid_frame", "a frame must be one JSON object");
        } catch (JsonException e) {
            throw new BadInputException(400, "invalid_json", "the frame is not valid JSON");
        }
    }
}
