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
 * receipts, typing and channel handlers; since docs/protocol.md 1.1 also conversations (the list, history pages, a live
 * {@link ConversationView}), edit and delete, blocking, and idempotent sends (every send carries a key and is resent
 * with it after a reconnect until the server answers, so it is stored and shown once). Thread-safe; every listener
 * runs on one callback thread, in event order, and every future completes there too.
 *
 * <p>This user's own messages come back as {@code message} frames too (docs/protocol.md "Conversations": the sender
 * copy, {@link Message#from()} = {@link #userId()}, with the id of the send's {@link Ack}), on this and every other
 * device. The client keeps no local echo of its own: show a pending send from its future, and the message from the
 * copy.
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
     * Closes the socket with 1000 and stops for good: sends, edits and deletes still waiting for an answer fail with
     * {@link SendException#CLOSED}, and the client's threads end once the last listeners ran.
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

    /**
     * Edits the text of a message this user wrote (docs/protocol.md 1.1 "Edit and delete", the {@code edit} frame). The
     * future completes with the server's {@code ack} (its {@code id} is the message's); both people then get an
     * {@link Update}. Fails with a {@link SendException} whose code is {@code not_found} (not this user's message, or
     * unknown), {@code edit_window_closed} (after {@code matchbook.edit-window}, 15 min by default), {@code blocked},
     * {@code timeout} or {@code closed}. Written again after a reconnect like a send.
     */
    public CompletableFuture<Ack> edit(String messageId, String text) {
        Objects.requireNonNull(messageId, "messageId");
        Optional<String> t = Optional.of(Objects.requireNonNull(text, "text"));
        return enqueue(ref -> Outbound.edit(ref, messageId, t, Optional.empty()));
    }

    /** Edits the data of a message this user wrote; as {@link #edit(String, String)}. */
    public CompletableFuture<Ack> edit(String messageId, JsonValue data) {
        Objects.requireNonNull(messageId, "messageId");
        Optional<JsonValue> d = Optional.of(Objects.requireNonNull(data, "data"));
        return enqueue(ref -> Outbound.edit(ref, messageId, Optional.empty(), d));
    }

    /**
     * Deletes a message this user wrote, for both people (docs/protocol.md 1.1 "Edit and delete", the {@code delete}
     * frame: the server removes its text, data and file). Always allowed for the author; fails with a
     * {@link SendException} whose code is {@code not_found}, {@code timeout} or {@code closed}.
     */
    public CompletableFuture<Ack> delete(String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        return enqueue(ref -> Outbound.delete(ref, messageId));
    }

    /** The 50 most recently active conversations; see {@link #conversations(int)}. */
    public CompletableFuture<List<ConversationSummary>> conversations() {
        return conversations(50);
    }

    /**
     * This user's conversations, most recent activity first (docs/protocol.md 1.1 "Conversations",
     * {@code GET /api/users/{id}/conversations}). Fails with an {@link ApiException} (its {@code code} and HTTP
     * status), for example {@code unreachable} when the server cannot be reached.
     *
     * @param limit 1 to 200
     */
    public CompletableFuture<List<ConversationSummary>> conversations(int limit) {
        int n = checkLimit(limit);
        return api("conversations", (api, base, token) -> api.conversations(base, userId, n, token));
    }

    /** The newest page of the conversation with {@code with}; see {@link #history(String, long, int)}. */
    public CompletableFuture<ConversationPage> history(String with, int limit) {
        return history(with, OptionalLong.empty(), limit);
    }

    /**
     * The {@code limit} newest messages of the conversation with {@code with} whose seq is below {@code before}
     * (docs/protocol.md 1.1, {@code GET /api/users/{id}/conversations/{with}/messages?before=&limit=}), oldest first,
     * each in its latest version; pass the page's {@link ConversationPage#oldestSeq()} to get the page before it. Seqs
     * are this user's stream seqs. Fails with an {@link ApiException}.
     *
     * @param before a seq of this user's stream, 1 or more
     * @param limit  1 to 200
     */
    public CompletableFuture<ConversationPage> history(String with, long before, int limit) {
        if (before < 1) {
            throw new IllegalArgumentException("before must be a seq, 1 or more");
        }
        return history(with, OptionalLong.of(before), limit);
    }

    CompletableFuture<ConversationPage> history(String with, OptionalLong before, int limit) {
        String other = Objects.requireNonNull(with, "with");
        int n = checkLimit(limit);
        return api("history", (api, base, token) -> api.history(base, userId, other, before, n, token));
    }

    /**
     * A live view of the conversation with {@code with}: empty until {@link ConversationView#loadOlder(int)} loads the
     * newest page; from then on it follows new messages (both people's) and updates. Close it when done.
     */
    public ConversationView conversation(String with) {
        requireNotClosed();
        return new ConversationView(this, core.listeners, Objects.requireNonNull(with, "with"));
    }

    /**
     * Blocks {@code other} (docs/protocol.md 1.1 "Blocking", {@code PUT /api/users/{id}/blocks/{other}}): from then on
     * messages between the two are refused both ways ({@code blocked}), and typing, receipts and edits between them
     * are dropped. History already stored stays. Fails with an {@link ApiException}.
     */
    public CompletableFuture<Void> block(String other) {
        String o = Objects.requireNonNull(other, "other");
        return api("block", (api, base, token) -> {
            api.block(base, userId, o, token);
            return null;
        });
    }

    /** Unblocks {@code other} ({@code DELETE /api/users/{id}/blocks/{other}}); also fine when not blocked. */
    public CompletableFuture<Void> unblock(String other) {
        String o = Objects.requireNonNull(other, "other");
        return api("unblock", (api, base, token) -> {
            api.unblock(base, userId, o, token);
            return null;
        });
    }

    /** Whom this user blocks ({@code GET /api/users/{id}/blocks}). Fails with an {@link ApiException}. */
    public CompletableFuture<List<String>> blocked() {
        return api("blocked", (api, base, token) -> api.blocked(base, userId, token));
    }

    /** Adds an update listener at run time (see {@link MatchbookClientBuilder#onUpdate}). */
    public Registration onUpdate(Consumer<Update> listener) {
        return Listeners.add(core.listeners.updates, Objects.requireNonNull(listener, "listener"));
    }

    /** Adds a message listener at run time (see {@link MatchbookClientBuilder#onMessage}). */
    public Registration onMessage(Consumer<Message> listener) {
        return Listeners.add(core.listeners.messages, Objects.requireNonNull(listener, "listener"));
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
        String key = PendingSends.newKey();
        return enqueue(ref -> Outbound.sendFile(ref, key, to, channel, name, contentType, copy));
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
        String key = PendingSends.newKey();
        return enqueue(ref -> Outbound.send(ref, key, to, channel, text, data));
    }

    private <T> CompletableFuture<T> api(String what, ClientCore.ApiCall<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed || !loop.execute(() -> core.api(what, call, future))) {
            future.completeExceptionally(new IllegalStateException("the client is closed"));
        }
        return future;
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > 200) {
            throw new IllegalArgumentException("limit must be 1 to 200 (docs/protocol.md \"Conversations\"), got "
                                                       + limit);
        }
        return limit;
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
