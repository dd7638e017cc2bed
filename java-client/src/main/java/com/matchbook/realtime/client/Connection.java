package com.matchbook.realtime.client;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.JsonFields;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.JsonObject;

/**
 * Owns one socket at a time and the connection's lifecycle: attempts, backoff, the handshake and liveness deadlines,
 * the close-code policy and the in-band token refresh. Runs on the {@link Loop} only. The state changes in
 * {@link #setState} and nowhere else.
 */
final class Connection implements Socket.Events {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    /** What the client above makes of a connection; called on the loop. */
    interface Handler {
        /** Before the state becomes OPEN, so that replay bookkeeping and re-subscribing come first. */
        void welcome(Welcome welcome);

        void frame(String type, JsonObject frame);

        void binary(byte[] frame);

        void stateChanged(ConnectionState from, ConnectionState to, String cause);

        /** The server closed with a code that reconnecting cannot fix; the state becomes CLOSED next. */
        void refused(int code, String reason);
    }

    private final ClientOptions options;
    private final Endpoints endpoints;
    private final Transport transport;
    private final Loop loop;
    private final Handler handler;
    private final Supplier<OptionalLong> since;
    private final Loop.Timer handshakeTimer;
    private final Loop.Timer livenessTimer;
    private final Loop.Timer uptimeTimer;
    private final Loop.Timer retryTimer;
    private final Optional<TokenRefresher> refresher;
    private volatile ConnectionState state = ConnectionState.CLOSED;
    private volatile int attempts;
    private Socket socket;
    private int retryAttempt;
    private long heartbeatMs;
    /** Set from the options or the server's {@code welcome} (see {@link ClientOptions#pingGrace}). */
    private long graceMs;
    private long lastHeardNanos;
    private Optional<String> token = Optional.empty();

    Connection(ClientOptions options, Endpoints endpoints, Transport transport, Loop loop, Handler handler,
               Supplier<OptionalLong> since) {
        this.options = options;
        this.endpoints = endpoints;
        this.transport = transport;
        this.loop = loop;
        this.handler = handler;
        this.since = since;
        this.handshakeTimer = loop.timer();
        this.livenessTimer = loop.timer();
        this.uptimeTimer = loop.timer();
        this.retryTimer = loop.timer();
        this.refresher = options.tokens().map(t -> new TokenRefresher(t, options.tokenRefreshAhead(), loop));
    }

    ConnectionState state() {
        return state;
    }

    /** Connection attempts made so far, the first one included. */
    int attempts() {
        return attempts;
    }

    /** The token of the current connection (for history calls), if a token supplier is set. */
    Optional<String> token() {
        return token;
    }

    URI currentBase() {
        return endpoints.current();
    }

    void connect() {
        if (state != ConnectionState.CLOSED) {
            return;
        }
        retryAttempt = 0;
        setState(ConnectionState.CONNECTING, "connect");
        attempt();
    }

    /** For good: no reconnect after this. */
    void close(String why) {
        abandon(CloseCodes.NORMAL, why);
        retryTimer.clear();
        setState(ConnectionState.CLOSED, why);
    }

    /** Writes one frame if the connection is OPEN; false otherwise (the caller decides whether to queue). */
    boolean write(Outbound.Frame frame) {
        if (state != ConnectionState.OPEN || socket == null) {
            return false;
        }
        switch (frame) {
            case Outbound.Text t -> socket.sendText(t.json());
            case Outbound.Binary b -> socket.sendBinary(b.bytes());
        }
        return true;
    }

    private void setState(ConnectionState to, String cause) {
        ConnectionState from = state;
        if (from == to) {
            return;
        }
        state = to;
        LOG.log(Level.DEBUG, () -> "event=state user=" + options.userId() + " from=" + from + " to=" + to
                + " cause=\"" + cause + "\"");
        handler.stateChanged(from, to, cause);
    }

    private void attempt() {
        int n = ++attempts;
        Socket s = new Socket(n, transport, loop, this);
        socket = s;
        // Covers the token fetch too: a supplier that hangs must not leave the client stuck in CONNECTING.
        handshakeTimer.start(options.handshakeTimeout().toMillis(),
                             () -> giveUp("no welcome within " + options.handshakeTimeout().toMillis() + " ms"));
        URI base = endpoints.current();
        OptionalLong resumeAfter = since.get();
        Thread.ofVirtual().name("matchbook-connect-" + n).start(() -> {
            Optional<String> fresh;
            try {
                fresh = options.tokens().map(Supplier::get);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=token-supplier-failed user=" + options.userId(), e);
                loop.execute(() -> failed(s, new HandshakeFailure(0, 0, "token supplier failed: " + e)));
                return;
            }
            loop.execute(() -> {
                if (s == socket) {
                    token = fresh;
                }
            });
            s.connect(Endpoints.socket(base, options.userId(), resumeAfter, fresh));
        });
    }

    @Override
    public void text(Socket s, String text) {
        if (s != socket) {
            return; // a late frame of an abandoned socket
        }
        heard();
        Optional<JsonObject> frame = JsonText.parseObject(text);
        Optional<String> type = frame.flatMap(f -> JsonFields.string(f, "type"));
        if (type.isEmpty()) {
            LOG.log(Level.WARNING, "event=unreadable-frame user=" + options.userId());
            return;
        }
        switch (type.get()) {
            case "welcome" -> Welcome.fromJson(frame.get()).ifPresentOrElse(
                    this::welcome, () -> giveUp("unreadable welcome"));
            case "ping" -> { } // a sign of life, counted above
            default -> handler.frame(type.get(), frame.get());
        }
    }

    @Override
    public void binary(Socket s, byte[] frame) {
        if (s == socket) {
            heard();
            handler.binary(frame);
        }
    }

    @Override
    public void heard(Socket s) {
        if (s == socket) {
            heard();
        }
    }

    private void welcome(Welcome w) {
        Socket s = socket;
        handshakeTimer.clear();
        heartbeatMs = w.heartbeatMs();
        graceMs = options.pingGrace().map(Duration::toMillis).orElse(
                w.heartbeatTimeoutMs() > 0 ? w.heartbeatTimeoutMs() : ClientOptions.PING_GRACE.toMillis());
        handler.welcome(w);
        if (s != socket) {
            return; // the handler closed the client
        }
        setState(ConnectionState.OPEN, "welcome " + w.connectionId());
        heard();
        armLiveness(livenessDeadlineMs());
        // A connection that drops right after opening is as bad as one that never opened: keep backing off.
        uptimeTimer.start(options.minUptime().toMillis(), () -> retryAttempt = 0);
        token.ifPresent(t -> refresher.ifPresent(r -> r.schedule(t, fresh -> refreshed(s, fresh))));
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    private long livenessDeadlineMs() {
        return heartbeatMs + graceMs;
    }

    /** One timer per deadline, not one per frame: when it fires it checks the clock and re-arms if anything came. */
    private void armLiveness(long delayMs) {
        livenessTimer.start(delayMs, () -> {
            long silentMs = (System.nanoTime() - lastHeardNanos) / 1_000_000;
            long deadlineMs = livenessDeadlineMs();
            if (silentMs >= deadlineMs) {
                giveUp("nothing heard for " + silentMs + " ms");
            } else {
                armLiveness(deadlineMs - silentMs);
            }
        });
    }

    @Override
    public void closed(Socket s, int code, String reason) {
        if (s != socket) {
            return;
        }
        release();
        ClosePolicy.Decision decision = ClosePolicy.decide(code, reason);
        String cause = "closed " + code + " " + (reason.isBlank() ? decision.description() : reason);
        LOG.log(Level.INFO, "event=closed user=" + options.userId() + " code=" + code + " reason=\"" + reason + "\"");
        if (!decision.reconnect()) {
            handler.refused(code, reason.isBlank() ? decision.description() : reason);
            setState(ConnectionState.CLOSED, cause);
            return;
        }
        if (decision.refreshToken()) {
            // Nothing to force: the supplier is asked before every attempt, and must not return the refused token.
            LOG.log(Level.INFO, "event=token-refused user=" + options.userId() + " a new token is fetched");
        }
        scheduleRetry(cause, decision.minDelayMs());
    }

    @Override
    public void failed(Socket s, HandshakeFailure failure) {
        if (s != socket) {
            return;
        }
        release();
        LOG.log(Level.DEBUG, () -> "event=attempt-failed user=" + options.userId() + " " + failure.description());
        scheduleRetry(failure.description(), failure.retryAfterMs());
    }

    /** The client's own verdict that this socket is no use (a timeout): drop it without waiting for its close. */
    private void giveUp(String why) {
        LOG.log(Level.INFO, "event=give-up user=" + options.userId() + " why=\"" + why + "\"");
        abandon(CloseCodes.NORMAL, why);
        scheduleRetry(why, 0);
    }

    private void scheduleRetry(String cause, long minDelayMs) {
        long delayMs = Math.max(minDelayMs, options.backoff().delayMs(retryAttempt, options.random()));
        retryAttempt++;
        // Another node may be up when this one is not (multi-node setups); one node stays where it is.
        endpoints.rotate();
        setState(ConnectionState.RECONNECTING, cause + "; attempt " + (attempts + 1) + " in " + delayMs + " ms");
        retryTimer.start(delayMs, this::attempt);
    }

    private void refreshed(Socket s, String fresh) {
        if (s != socket || state != ConnectionState.OPEN) {
            return;
        }
        token = Optional.of(fresh);
        write(Outbound.auth(fresh));
        refresher.ifPresent(r -> r.schedule(fresh, next -> refreshed(s, next)));
    }

    private void abandon(int code, String why) {
        Socket s = socket;
        release();
        if (s != null) {
            s.close(code, why);
        }
    }

    /** Forgets the current socket: from here on, whatever it still reports is ignored. */
    private void release() {
        socket = null;
        handshakeTimer.clear();
        livenessTimer.clear();
        uptimeTimer.clear();
        refresher.ifPresent(TokenRefresher::cancel);
    }
}
