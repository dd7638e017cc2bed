package com.matchbook.realtime.ws;

import java.lang.System.Logger.Level;
import java.util.Optional;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.hub.Connection;
import com.matchbook.realtime.hub.Ending;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Refusal;
import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.hub.TooManyConnectionsException;
import com.matchbook.realtime.limits.FrameRate;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.OutFrame;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.CloseReasons;

/**
 * One socket at {@code /ws}: Helidon creates one per connection. Turns socket events into hub calls. Messages arrive
 * whole: {@code WireConnection} reassembles split messages and enforces the size limits on the whole message (close
 * 1009) before it calls {@code onMessage}, always with {@code last} true.
 */
public final class WsEndpoint implements WsListener {
    private static final System.Logger LOG = System.getLogger(WsEndpoint.class.getName());

    private final Hub hub;
    private final Stats stats;
    private final ClientFrameHandler frames;
    private final Gate gate;
    private final long maxBinaryFrameBytes;

    private final FrameRate frameRate;
    private Handshake handshake = Handshake.refused(CloseCodes.BAD_REQUEST, "bad request");
    private Connection connection;
    /** Made on the first frame that needs it: most connections never wait on the store ({@link SerialLane}). */
    private SerialLane lane;
    private final ClientFrameHandler.Lane laneOnDemand = new ClientFrameHandler.Lane() {
        @Override
        public void execute(Runnable task) {
            lane().execute(task);
        }

        @Override
        public boolean busy() {
            SerialLane l = lane;
            return l != null && l.busy();
        }
    };

    WsEndpoint(Hub hub, Stats stats, ClientFrameHandler frames, Gate gate, Settings settings) {
        this.hub = hub;
        this.stats = stats;
        this.frames = frames;
        this.gate = gate;
        this.maxBinaryFrameBytes = settings.maxBinaryFrameBytes();
        this.frameRate = new FrameRate(settings.framesPerSecond(), System.nanoTime());
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        handshake = gate.admit(prologue, headers);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        Optional<Refusal> refusal = handshake.refusal();
        if (refusal.isPresent()) {
            refuse(session, refusal.get());
            return;
        }
        try {
            SessionSink sink = new SessionSink(session, Thread.currentThread());
            connection = handshake.claims().isPresent()
                    ? hub.open(handshake.userId(), sink, handshake.since(), handshake.claims().get().honouredUntil())
                    : hub.open(handshake.userId(), sink, handshake.since());
        } catch (TooManyConnectionsException e) {
            refuse(session, new Refusal(CloseCodes.RATE_LIMITED, "too many connections for this user; retry-after-ms="
                                                                 + Timings.RETRY_WHEN_USER_FULL.toMillis()));
        }
    }

    /**
     * The opening of both {@code onMessage}s: a frame on a registered connection proves the peer alive, then passes the
     * frame rate. Null when the message is dropped (not registered, already ended, or cut off by the rate).
     */
    private Connection heard() {
        Connection c = connection;
        if (c == null || !c.isOpen()) {
            return null;
        }
        c.heard();
        return admitMessage(c) ? c : null;
    }

    /** {@code last} is always true: WireConnection delivers whole messages, within the text limit already. */
    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        Connection c = heard();
        if (c != null) {
            frames.text(c, text, laneOnDemand);
        }
    }

    /**
     * {@code last} is always true, as for text. The wire layer's binary limit is the larger of the text and binary
     * limits (one frame limit for both), so a binary message between the two is refused here.
     */
    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        Connection c = heard();
        if (c == null) {
            return;
        }
        if (buffer.available() > maxBinaryFrameBytes) {
            hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.TOO_BIG, "binary message over the limit");
            return;
        }
        byte[] whole = new byte[buffer.available()];
        buffer.read(whole);
        frames.binary(c, whole, laneOnDemand);
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        Connection c = connection;
        if (c == null) {
            return;
        }
        c.heard();
        byte[] payload = new byte[buffer.available()];
        buffer.read(payload);
        hub.reply(c, OutFrame.pong(payload));
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        Connection c = connection;
        if (c != null) {
            c.heard();
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        Connection c = connection;
        if (c != null) {
            hub.end(c, Ending.PEER_LEFT, status, reason);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        Connection c = connection;
        LOG.log(Level.DEBUG, () -> "event=socket-error conn=" + (c == null ? "-" : c.id()), t);
        if (c != null) {
            hub.end(c, Ending.PEER_LEFT, CloseCodes.INTERNAL_ERROR, "error: " + t.getClass().getSimpleName());
        }
    }

    /** Only the thread that reads this connection calls it: one reader, or one selector thread. */
    private SerialLane lane() {
        SerialLane l = lane;
        if (l == null) {
            l = new SerialLane();
            lane = l;
        }
        return l;
    }

    /** The frame rate is checked once per message. @return whether to handle this message */
    private boolean admitMessage(Connection c) {
        long now = System.nanoTime();
        return switch (frameRate.check(now)) {
            case ACCEPT -> true;
            case REFUSE -> {
                hub.reply(c, Frames.error("rate_limited", "too many frames; slow down", Optional.empty()));
                yield false;
            }
            case CUT_OFF -> {
                stats.rateLimited();
                // The reason is the hint alone, as PROTOCOL.md "Configuration keys" gives it: "reason retry-after-ms=N".
                hub.end(c, Ending.CLOSE_AFTER_QUEUED, CloseCodes.RATE_LIMITED, "retry-after-ms=" + frameRate.retryAfterMs(now));
                yield false;
            }
        };
    }

    /** Nothing was registered, so no writer exists yet: the close frame is the only frame this socket gets. */
    private void refuse(WsSession session, Refusal refusal) {
        stats.refused(refusal.code());
        LOG.log(Level.DEBUG, () -> "event=refused code=" + refusal.code() + " reason=\"" + refusal.reason() + "\"");
        session.close(refusal.code(), CloseReasons.truncate(refusal.reason()));
    }
}
