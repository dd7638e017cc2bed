package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import com.matchbook.realtime.protocol.BinaryFrames;
import com.matchbook.realtime.protocol.JsonFields;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonObject;

/**
 * The wiring behind {@link MatchbookClient}: routes the connection's frames to recovery, the pending sends and the
 * listeners, and re-sends per-connection state (subscription, deferred read marks) on every open. Runs on the loop.
 */
final class ClientCore implements Connection.Handler, Recovery.Hooks {
    private static final System.Logger LOG = System.getLogger(ClientCore.class.getName());
    /** Headers are small JSON objects; a longer one means the frame is not ours. */
    private static final int MAX_BINARY_HEADER_BYTES = 64 * 1024;
    /** Blocking HTTP (resyncs, conversations, blocks) runs here, off the loop. */
    private static final Executor BLOCKING = task -> Thread.ofVirtual().name("matchbook-http").start(task);

    final Connection connection;
    final Recovery recovery;
    final PendingSends sends;
    final Listeners listeners;
    private final ClientOptions options;
    private final Loop loop;
    private final Callbacks callbacks;
    private final History history;
    private final UserApi api;
    private final List<Outbound.Frame> deferred = new ArrayList<>();
    private Optional<List<String>> channels = Optional.empty();

    ClientCore(ClientOptions options, Endpoints endpoints, long resumeAfter, Loop loop, Callbacks callbacks,
               Listeners listeners) {
        this.options = options;
        this.loop = loop;
        this.callbacks = callbacks;
        this.listeners = listeners;
        this.history = new History(options.connectTimeout(), options.handshakeTimeout());
        this.api = new UserApi(options.connectTimeout(), options.handshakeTimeout());
        this.connection = new Connection(options, endpoints, new Transport(options.connectTimeout()), loop, this,
                                         this::since);
        this.recovery = new Recovery(this, seq -> connection.write(Outbound.received(seq)), loop, resumeAfter);
        this.sends = new PendingSends(connection::write, loop, callbacks, options.sendTimeout().toMillis());
    }

    private OptionalLong since() {
        return recovery.since();
    }

    /** Sent now if open, else on the next open: read marks must not be lost to a reconnect. */
    void sendOrDefer(Outbound.Frame frame) {
        if (!connection.write(frame)) {
            deferred.add(frame);
        }
    }

    /** Kept and sent again on every connection: the server remembers a subscription per connection only. */
    void subscribe(List<String> list) {
        channels = Optional.of(List.copyOf(list));
        connection.write(Outbound.subscribe(channels.get()));
    }

    void close() {
        connection.close("client closed");
        recovery.dispose();
    }

    @Override
    public void welcome(Welcome welcome) {
        recovery.welcome(welcome);
    }

    @Override
    public void stateChanged(ConnectionState from, ConnectionState to, String cause) {
        if (from == ConnectionState.OPEN) {
            sends.connectionLost();
        }
        if (to == ConnectionState.OPEN) {
            // Subscription first, so flushed sends and later frames already see the filter.
            channels.ifPresent(c -> connection.write(Outbound.subscribe(c)));
            List<Outbound.Frame> waiting = new ArrayList<>(deferred);
            deferred.clear();
            waiting.forEach(this::sendOrDefer);
            sends.flush();
        }
        if (to == ConnectionState.CLOSED) {
            sends.failAll(cause);
            deferred.clear();
        }
        callbacks.run("state", () -> listeners.stateChanged(from, to, cause));
    }

    @Override
    public void refused(int code, String reason) {
        ClientError e = new ClientError(String.valueOf(code), reason);
        callbacks.run("error", () -> listeners.error(e));
    }

    @Override
    public void frame(String type, JsonObject frame) {
        switch (type) {
            case "message" -> Message.fromJson(frame).ifPresentOrElse(recovery::entry, () -> unreadable(type));
            case "update" -> Update.fromJson(frame).ifPresentOrElse(recovery::entry, () -> unreadable(type));
            case "ack" -> ack(frame);
            case "error" -> error(frame);
            case "receipt" -> Receipt.fromJson(frame).ifPresentOrElse(
                    r -> callbacks.run("receipt", () -> listeners.receipt(r)), () -> unreadable(type));
            case "typing" -> Typing.fromJson(frame).ifPresentOrElse(
                    t -> callbacks.run("typing", () -> listeners.typing(t)), () -> unreadable(type));
            case "pong" -> { } // the answer to a text ping; this client pings with control frames only
            default -> LOG.log(Level.DEBUG, () -> "event=unknown-frame type=" + type);
        }
    }

    @Override
    public void binary(byte[] frame) {
        try {
            BinaryFrames.Parts parts = BinaryFrames.decode(frame, MAX_BINARY_HEADER_BYTES);
            Optional<Message> m = JsonText.parseObject(parts.headerJson())
                    .flatMap(header -> Message.fromBinary(header, parts.payload()));
            m.ifPresentOrElse(recovery::entry, () -> unreadable("binary message"));
        } catch (BinaryFrames.MalformedFrameException e) {
            LOG.log(Level.WARNING, "event=unreadable-binary-frame " + e.getMessage());
        }
    }

    private void ack(JsonObject frame) {
        Optional<String> ref = JsonFields.ref(frame);
        Optional<String> id = JsonFields.string(frame, "id");
        if (ref.isEmpty() || id.isEmpty()) {
            unreadable("ack");
            return;
        }
        sends.acked(ref.get(), new Ack(id.get(), JsonFields.number(frame, "seq").orElse(-1)));
    }

    private void error(JsonObject frame) {
        String code = JsonFields.string(frame, "code", "error");
        String message = JsonFields.string(frame, "message", code);
        Optional<String> ref = JsonFields.ref(frame);
        if (ref.isPresent() && sends.refused(ref.get(), code, message)) {
            return;
        }
        LOG.log(Level.INFO, "event=server-error code=" + code + " message=\"" + message + "\"");
        callbacks.run("error", () -> listeners.error(new ClientError(code, message)));
    }

    private void unreadable(String what) {
        LOG.log(Level.WARNING, "event=unreadable-frame type=" + what);
    }

    /**
     * The server filters a subscribed connection's messages, but their seqs still count up, so other channels show
     * as gaps: recovery fetches them over HTTP (the only way to tell "filtered" from "lost") and they end here, where
     * they are confirmed without being shown.
     */
    @Override
    public void deliver(StreamEntry entry, Runnable handled) {
        switch (entry) {
            case Update u -> callbacks.run("update", () -> {
                listeners.update(u);
                loop.execute(handled);
            });
            case Message m -> deliver(m, handled);
        }
    }

    private void deliver(Message message, Runnable handled) {
        if (channels.isPresent() && !channels.get().contains(message.channel())) {
            handled.run();
            return;
        }
        callbacks.run("message", () -> {
            listeners.message(message);
            loop.execute(handled);
        });
    }

    @Override
    public CompletableFuture<History.Page> fetch(long since, int limit) {
        URI base = connection.currentBase();
        Optional<String> token = connection.token();
        Optional<Supplier<String>> tokens = options.tokens();
        return CompletableFuture.supplyAsync(
                () -> history.fetch(base, options.userId(), since, limit, token.or(() -> tokens.map(Supplier::get))),
                BLOCKING);
    }

    /** One call of the user's HTTP API: blocking, on a virtual thread; its result is handed on on the callback thread. */
    @FunctionalInterface
    interface ApiCall<T> {
        T call(UserApi api, URI base, Optional<String> token);
    }

    /** Runs on the loop (it reads the connection's node and token); completes {@code result} on the callback thread. */
    <T> void api(String what, ApiCall<T> call, CompletableFuture<T> result) {
        URI base = connection.currentBase();
        Optional<String> token = connection.token();
        Optional<Supplier<String>> tokens = options.tokens();
        BLOCKING.execute(() -> {
            try {
                T value = call.call(api, base, token.or(() -> tokens.map(Supplier::get)));
                callbacks.run(what, () -> result.complete(value));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "event=api-failed call=" + what + " error=\"" + e.getMessage() + "\"");
                callbacks.run(what, () -> result.completeExceptionally(e));
            }
        });
    }

    @Override
    public void lost(long afterSeq, Throwable error) {
        ClientError e = new ClientError("resync-failed", "messages after seq " + afterSeq + " may be missing: " + error);
        callbacks.run("error", () -> listeners.error(e));
    }
}
