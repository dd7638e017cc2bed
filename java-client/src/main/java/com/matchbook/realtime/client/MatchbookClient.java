package com.matchbook.realtime.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.json.JsonValue;

/**
 * A Matchbook Realtime connection for one user: sends with acks, in-order exactly-once delivery across reconnects,
 * receipts, typing and channel handlers. Thread-safe; every listener runs on one callback thread, in event order.
 *
 * <pre>{@code
 * MatchbookClient client = MatchbookClient.builder()
 *         .server("https://chat.example.com")
 *         .userId("alice")
 *         .onMessage(m -> System.out.println(m.from() + ": " + m.text().orElse("")))
 *         .build();
 * client.connect();
 * client.send("bob", "hi").thenAccept(ack -> System.out.println("stored as " + ack.id()));
 * }</pre>
 */
public final class MatchbookClient implements AutoCloseable {
    private static final String CHAT = "chat";
    /** close() waits this long for its close frame to be handed to the writer. */
    private static final long CLOSE_WAIT_MS = 2_000;

    private final String userId;
    private final Loop loop;
    private final Callbacks callbacks;
    private final Listeners listeners;
    private final ClientCore core;
    private volatile boolean closed;

    MatchbookClient(MatchbookClientBuilder b) {
        this.userId = b.userId();
        this.loop = new Loop("matchbook-client-" + userId);
        this.callbacks = new Callbacks("matchbook-callbacks-" + userId);
        this.listeners = b.listeners();
        this.core = new ClientCore(b.options(), new Endpoints(b.servers()), b.resumeAfter(), loop, callbacks,
                                   listeners);
    }

    public static MatchbookClientBuilder builder() {
        return new MatchbookClientBuilder();
    }

    /** Starts connecting (CLOSED to CONNECTING); reconnects by itself from then on. Does nothing if already started. */
    public void connect() {
        requireNotClosed();
        loop.execute(core.connection::connect);
    }

    /**
     * Closes the socket with 1000 and stops for good: pending sends fail with {@link SendException#CLOSED}, and the
     * client's threads end once the last listeners ran.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            core.close();
            done.countDown();
        });
        if (!loop.inLoop()) {
            try {
                done.await(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loop.shutdown();
        callbacks.shutdown();
    }

    public ConnectionState state() {
        return core.connection.state();
    }

    public String userId() {
        return userId;
    }

    /** Connection attempts so far, the first one included: it keeps counting while the server is unreachable. */
    public int attempts() {
        return core.connection.attempts();
    }

    /** The highest seq delivered without a gap: what the next connection resumes after. Keep it to resume later. */
    public OptionalLong lastSeq() {
        return core.recovery.since();
    }

    /** A text message on the {@code chat} channel. */
    public CompletableFuture<Ack> send(String to, String text) {
        return send(to, CHAT, text);
    }

    public CompletableFuture<Ack> send(String to, String channel, String text) {
        return submit(to, channel, Optional.of(Objects.requireNonNull(text, "text")), Optional.empty());
    }

    /** A structured message: {@code data} is any JSON value. */
    public CompletableFuture<Ack> send(String to, String channel, JsonValue data) {
        return submit(to, channel, Optional.empty(), Optional.of(Objects.requireNonNull(data, "data")));
    }

    public CompletableFuture<Ack> send(String to, String channel, String text, JsonValue data) {
        return submit(to, channel, Optional.of(Objects.requireNonNull(text, "text")),
                      Optional.of(Objects.requireNonNull(data, "data")));
    }

    /** A file, as a binary frame; the recipient sees it as {@link Message#attachment()}. */
    public CompletableFuture<Ack> sendFile(String to, String name, String contentType, byte[] bytes) {
        return sendFile(to, CHAT, name, contentType, bytes);
    }

    public CompletableFuture<Ack> sendFile(String to, String channel, String name, String contentType, byte[] bytes) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contentType, "contentType");
        byte[] copy = bytes.clone();
        return enqueue(ref -> Outbound.sendFile(ref, to, channel, name, contentType, copy));
    }

    /** Tells the sender that this user read the message; sent at the next open if not connected now. */
    public void markRead(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        requireNotClosed();
        loop.execute(() -> core.sendOrDefer(Outbound.read(messageId)));
    }

    /**
     * A typing indicator for {@code to}. Relayed live and never stored, so it is dropped when not connected.
     *
     * @return false when not connected (the indicator was not sent)
     */
    public boolean typing(String to, TypingState state) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(state, "state");
        if (closed || state() != ConnectionState.OPEN) {
            return false;
        }
        loop.execute(() -> core.connection.write(Outbound.typing(to, state)));
        return true;
    }

    /** From now on, and on every later connection, only these channels are delivered (default: all). */
    public void subscribe(List<String> channels) {
        List<String> copy = List.copyOf(channels);
        requireNotClosed();
        loop.execute(() -> core.subscribe(copy));
    }

    /** Adds a handler for one channel's messages; the message listeners still see every message. */
    public Registration on(String channel, Consumer<Message> handler) {
        return listeners.onChannel(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(handler, "handler"));
    }

    private CompletableFuture<Ack> submit(String to, String channel, Optional<String> text, Optional<JsonValue> data) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(channel, "channel");
        return enqueue(ref -> Outbound.send(ref, to, channel, text, data));
    }

    private CompletableFuture<Ack> enqueue(Function<String, Outbound.Frame> frame) {
        CompletableFuture<Ack> future = new CompletableFuture<>();
        boolean accepted = !closed && loop.execute(() -> {
            String ref = core.sends.nextRef();
            core.sends.submit(ref, frame.apply(ref), future);
        });
        if (!accepted) {
            future.completeExceptionally(new SendException(SendException.CLOSED, "the client is closed"));
        }
        return future;
    }

    private void requireNotClosed() {
        if (closed) {
            throw new IllegalStateException("the client is closed; build a new one");
        }
    }
}
