package com.matchbook.realtime.client;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.CloseReasons;

/**
 * One connection attempt and, if it opens, its socket. Helidon calls the listener methods on its reader thread; each
 * only copies what it got and posts it to the {@link Loop}, so reading never waits for the client. Every write goes
 * through this socket's single writer thread, in order (Helidon 4.2.0's client session is not safe for concurrent
 * sends), pongs and the close frame included.
 */
final class Socket implements WsListener {
    private static final System.Logger LOG = System.getLogger(Socket.class.getName());
    /** After our close frame, the server has this long to answer before the socket is cut. */
    private static final long CLOSE_GRACE_MS = 2_000;

    /** What a socket reports; always called on the loop. */
    interface Events {
        void text(Socket socket, String text);

        void binary(Socket socket, byte[] frame);

        /** A control frame (ping or pong): a sign of life only. */
        void heard(Socket socket);

        /** The socket is gone: a close frame, an error, or the connection just vanished (1006). */
        void closed(Socket socket, int code, String reason);

        /** No socket came of this attempt. */
        void failed(Socket socket, HandshakeFailure failure);
    }

    private final int attempt;
    private final Transport transport;
    private final Loop loop;
    private final Events events;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile WsSession session;
    private volatile Thread reader;
    private volatile Thread connector;
    private volatile boolean abandoned;
    private volatile ExecutorService writer;
    // Touched by the reader thread only: a message split over continuation frames.
    private StringBuilder textParts;
    private ByteArrayOutputStream binaryParts;

    Socket(int attempt, Transport transport, Loop loop, Events events) {
        this.attempt = attempt;
        this.transport = transport;
        this.loop = loop;
        this.events = events;
    }

    int attempt() {
        return attempt;
    }

    /** Runs on the attempt's own virtual thread: the upgrade blocks. */
    void connect(URI uri) {
        connector = Thread.currentThread();
        try {
            if (!abandoned) {
                transport.open(uri, this);
            }
        } catch (RuntimeException e) {
            if (!abandoned) {
                HandshakeFailure failure = HandshakeFailure.of(e);
                loop.execute(() -> events.failed(this, failure));
            }
        } finally {
            connector = null;
        }
    }

    @Override
    public void onOpen(WsSession session) {
        this.reader = Thread.currentThread();
        this.writer = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("matchbook-ws-writer-" + attempt).factory());
        this.session = session;
        watchReader(reader);
        LOG.log(Level.DEBUG, () -> "event=socket-open attempt=" + attempt);
        if (abandoned) {
            close(CloseCodes.NORMAL, "abandoned");
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (last && textParts == null) {
            loop.execute(() -> events.text(this, text));
            return;
        }
        if (textParts == null) {
            textParts = new StringBuilder();
        }
        textParts.append(text);
        if (last) {
            String whole = textParts.toString();
            textParts = null;
            loop.execute(() -> events.text(this, whole));
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        byte[] chunk = new byte[buffer.available()];
        buffer.read(chunk);
        if (last && binaryParts == null) {
            loop.execute(() -> events.binary(this, chunk));
            return;
        }
        if (binaryParts == null) {
            binaryParts = new ByteArrayOutputStream();
        }
        binaryParts.writeBytes(chunk);
        if (last) {
            byte[] whole = binaryParts.toByteArray();
            binaryParts = null;
            loop.execute(() -> events.binary(this, whole));
        }
    }

    /** Helidon answers no ping by itself; the server closes connections that answer nothing. */
    @Override
    public void onPing(WsSession session, BufferData buffer) {
        byte[] payload = new byte[buffer.available()];
        buffer.read(payload);
        write(s -> s.pong(BufferData.create(payload)));
        loop.execute(() -> events.heard(this));
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        loop.execute(() -> events.heard(this));
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        ended(status, reason);
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.DEBUG, () -> "event=socket-error attempt=" + attempt, t);
        ended(CloseCodes.ABNORMAL, "error: " + t.getClass().getSimpleName());
    }

    /**
     * Helidon 4.2.0's client tells its listener nothing when a connection just vanishes (no close frame): its read
     * loop returns silently. That loop owns its thread (the web client runs one virtual thread per task), so waiting
     * for the thread to end is how the end of the connection is noticed at once, instead of at the ping deadline.
     */
    private void watchReader(Thread thread) {
        Thread.ofVirtual().name("matchbook-ws-watch-" + attempt).start(() -> {
            try {
                thread.join();
            } catch (InterruptedException e) {
                return;
            }
            readLoopEnded();
        });
    }

    /** Helidon's read loop returned, whatever the reason. */
    private void readLoopEnded() {
        ended(CloseCodes.ABNORMAL, "connection lost");
        ExecutorService w = writer;
        if (w != null) {
            w.shutdown();
        }
    }

    void sendText(String json) {
        write(s -> s.send(json, true));
    }

    void sendBinary(byte[] frame) {
        write(s -> s.send(BufferData.create(frame), true));
    }

    /**
     * Ends this attempt for good: a close frame if the socket is open (and a hard cut if the server does not answer
     * it), or an interrupted upgrade if it is still connecting. Nothing it does later reaches the loop.
     */
    void close(int code, String reason) {
        abandoned = true;
        ended.set(true);
        if (session == null) {
            Thread c = connector;
            if (c != null) {
                c.interrupt();
            }
            return;
        }
        write(s -> s.close(code, CloseReasons.truncate(reason)));
        CompletableFuture.delayedExecutor(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS).execute(this::cut);
    }

    private void write(Consumer<WsSession> op) {
        WsSession s = session;
        ExecutorService w = writer;
        if (s == null || w == null) {
            return;
        }
        try {
            w.execute(() -> {
                try {
                    op.accept(s);
                } catch (RuntimeException e) {
                    // A write on a dead connection: the read loop ends soon too and reports it.
                    LOG.log(Level.DEBUG, () -> "event=write-failed attempt=" + attempt, e);
                    cut();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.log(Level.DEBUG, () -> "event=write-after-end attempt=" + attempt);
        }
    }

    /** Closes the TCP connection under Helidon's read loop, which then ends. */
    private void cut() {
        WsSession s = session;
        if (s != null && s.socketContext() instanceof HelidonSocket socket) {
            try {
                socket.close();
            } catch (RuntimeException e) {
                LOG.log(Level.TRACE, "event=cut-failed", e);
            }
        }
        Thread r = reader;
        if (r != null && r.isAlive()) {
            r.interrupt();
        }
    }

    private void ended(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            loop.execute(() -> events.closed(this, code, reason));
        }
    }
}
