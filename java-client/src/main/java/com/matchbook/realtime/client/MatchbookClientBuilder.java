package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

import com.matchbook.realtime.protocol.UserId;

/** Configures a {@link MatchbookClient}; only the server and the user id are required. */
public final class MatchbookClientBuilder {
    private final List<URI> servers = new ArrayList<>();
    private final Listeners listeners = new Listeners();
    private String userId = "";
    private boolean checkUserId = true;
    private Optional<Supplier<String>> tokens = Optional.empty();
    private Backoff backoff = Backoff.DEFAULT;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Duration connectTimeout = ClientOptions.CONNECT_TIMEOUT;
    private Duration handshakeTimeout = ClientOptions.HANDSHAKE_TIMEOUT;
    private Optional<Duration> pingGrace = Optional.empty();
    private Duration minUptime = ClientOptions.MIN_UPTIME;
    private Duration tokenRefreshAhead = ClientOptions.TOKEN_REFRESH_AHEAD;
    private Duration sendTimeout = ClientOptions.SEND_TIMEOUT;
    private long resumeAfter = -1;

    MatchbookClientBuilder() {
    }

    /** The server's base URI, {@code http://host:port} or {@code https://host[/path]}; the socket is at {@code /ws}. */
    public MatchbookClientBuilder server(URI base) {
        servers.add(Objects.requireNonNull(base, "base"));
        return this;
    }

    public MatchbookClientBuilder server(String base) {
        return server(URI.create(base));
    }

    /** Several nodes of one deployment: the first is tried first, and every reconnect moves on to the next. */
    public MatchbookClientBuilder servers(List<URI> bases) {
        bases.forEach(this::server);
        return this;
    }

    /** 1 to 64 characters of {@code A-Z a-z 0-9 . _ -}; anything else is refused here, before any connection. */
    public MatchbookClientBuilder userId(String id) {
        this.userId = UserId.require(Objects.requireNonNull(id, "id"));
        this.checkUserId = true;
        return this;
    }

    /**
     * Supplies the JWT. Asked before every connection attempt (so after a 4001 the next attempt carries a new
     * token) and shortly before the current token's {@code exp}, to refresh it in-band. May block: it never runs on
     * the client's own threads.
     */
    public MatchbookClientBuilder tokenSupplier(Supplier<String> supplier) {
        this.tokens = Optional.of(Objects.requireNonNull(supplier, "supplier"));
        return this;
    }

    public MatchbookClientBuilder backoff(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /** From the start of an attempt to the server's {@code welcome} (default 10 s); then the attempt is dropped. */
    public MatchbookClientBuilder handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = positive(timeout, "handshakeTimeout");
        return this;
    }

    public MatchbookClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * Silence longer than the server's {@code heartbeatMs} plus this means the connection is dead. Default: the
     * server's {@code heartbeatTimeoutMs} from {@code welcome} (how long it waits itself), or 10 s without it.
     */
    public MatchbookClientBuilder pingGrace(Duration grace) {
        this.pingGrace = Optional.of(positive(grace, "pingGrace"));
        return this;
    }

    /** How long a connection must stay open before the backoff starts from its first step again (default 5 s). */
    public MatchbookClientBuilder minUptime(Duration uptime) {
        this.minUptime = positive(uptime, "minUptime");
        return this;
    }

    /** How long before the token's {@code exp} a fresh one is sent in an {@code auth} frame (default 30 s). */
    public MatchbookClientBuilder tokenRefreshAhead(Duration ahead) {
        this.tokenRefreshAhead = positive(ahead, "tokenRefreshAhead");
        return this;
    }

    /** A send not acknowledged within this (default 15 s, queued time included) fails with {@code timeout}. */
    public MatchbookClientBuilder sendTimeout(Duration timeout) {
        this.sendTimeout = positive(timeout, "sendTimeout");
        return this;
    }

    /**
     * Resume after this seq (the {@link MatchbookClient#lastSeq()} an earlier run kept). Without it, the server
     * starts after the last message any device of the user confirmed.
     */
    public MatchbookClientBuilder resumeAfter(long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be 0 or more");
        }
        this.resumeAfter = seq;
        return this;
    }

    public MatchbookClientBuilder onState(StateListener listener) {
        listeners.state.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Every delivered message, whatever its channel: once each, in seq order. */
    public MatchbookClientBuilder onMessage(Consumer<Message> listener) {
        listeners.messages.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public MatchbookClientBuilder onReceipt(Consumer<Receipt> listener) {
        listeners.receipts.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Every {@link Update} (docs/protocol.md 1.1: an earlier message of either person of a conversation was edited or
     * deleted): once each, in seq order with the messages. {@link Message#apply(Update)} gives the new version.
     */
    public MatchbookClientBuilder onUpdate(Consumer<Update> listener) {
        listeners.updates.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public MatchbookClientBuilder onTyping(Consumer<Typing> listener) {
        listeners.typing.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    public MatchbookClientBuilder onError(Consumer<ClientError> listener) {
        listeners.errors.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Handlers of one channel; more can be added later with {@link MatchbookClient#on}. */
    public MatchbookClientBuilder on(String channel, Consumer<Message> handler) {
        listeners.onChannel(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    public MatchbookClient build() {
        if (servers.isEmpty()) {
            throw new IllegalStateException("a server URI is required");
        }
        if (userId.isEmpty() || checkUserId && !UserId.isValid(userId)) {
            throw new IllegalStateException("a valid user id is required");
        }
        return new MatchbookClient(this);
    }

    /** Tests only: a fixed jitter, for predictable delays. */
    MatchbookClientBuilder random(DoubleSupplier random) {
        this.random = random;
        return this;
    }

    /** Tests only: lets an id the contract refuses reach the server, to see the server's 4000. */
    MatchbookClientBuilder unvalidatedUserId(String id) {
        this.userId = id;
        this.checkUserId = false;
        return this;
    }

    String userId() {
        return userId;
    }

    List<URI> servers() {
        return List.copyOf(servers);
    }

    Listeners listeners() {
        return listeners.copy();
    }

    long resumeAfter() {
        return resumeAfter;
    }

    ClientOptions options() {
        return new ClientOptions(userId, tokens, backoff, random, connectTimeout, handshakeTimeout, pingGrace,
                                 minUptime, tokenRefreshAhead, sendTimeout);
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
