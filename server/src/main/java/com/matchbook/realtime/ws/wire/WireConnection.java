package com.matchbook.realtime.ws.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.SocketContext;
import io.helidon.common.socket.SocketWriterException;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.CloseReasons;

/**
 * One upgraded WebSocket connection: reads the client's frames under every rule of RFC 6455 (see {@link FrameRules})
 * and writes only WebSocket frames, while the endpoint keeps Helidon's listener API ({@link WsListener}, with this
 * class as its {@link WsSession}). The listener gets whole messages ({@code last} is always true): text already
 * checked as UTF-8, both kinds within the route's limits after reassembly and inflation.
 *
 * <p>Why not Helidon's own {@code WsConnection} (4.5.0): it decodes each text frame to a String on its own, so a
 * character split across frames became U+FFFD and invalid UTF-8 was replaced, never refused with 1007; it ignores the
 * RSV bits; a reserved opcode throws an {@code IllegalStateException} that its HTTP/1 connection answers by writing
 * {@code HTTP/1.1 500} into the WebSocket stream, with a stack trace logged per frame; it passes pings over 125 bytes
 * and fragmented pings to the listener, which echoes them as illegal pongs; it does not check a close frame's payload,
 * so a 1-byte payload fails its parsing and is answered 1011 with the exception's text, and forbidden codes are
 * accepted; it checks only one frame's length, never a whole message's; it has no permessage-deflate. Its upgrader
 * finds the upgrader by the exact {@code Upgrade} value (so {@code Upgrade: WebSocket} was refused with 400), treats
 * a missing {@code Sec-WebSocket-Version} as 13 and answers another version with 400, where RFC 6455 4.2.2 says 426.
 *
 * <p>Threads, in one of two read models. Without {@link WirePolicy#loops()} one reader (the connection's own thread,
 * which runs the listener's callbacks) reads the socket in blocking mode. With them (the server's default) the socket turns
 * non-blocking after {@code onOpen} and a {@link WireLoop} reads it and runs the callbacks; the connection's own thread
 * then only writes what the loop must not wait for ({@link ConnectionTasks}) and ends the connection. In both, any
 * number of writers; writes are whole frames under one lock, so they never interleave.
 *
 * <p>Past 300 lines because reading and writing share the close handshake's state (a close sent stops the writers,
 * a close read is answered by the reader), in both read models: split, that state would have two owners. The frame
 * reader and its rules, the encoder, reassembly, UTF-8, deflate and the non-blocking writes are in files of their own.
 */
public final class WireConnection implements ServerConnection, WsSession, BatchSession {
    private static final System.Logger LOG = System.getLogger(WireConnection.class.getName());
    private static final int FIN = 0x80;

    private final ConnectionContext ctx;
    /** Set by {@link #handle}: what Helidon read past the upgrade request is taken over there, not before. */
    private WireInput input;
    private final HttpPrologue prologue;
    private final WsListener listener;
    private final WirePolicy policy;
    private final boolean deflate;
    /** The agreed server window for permessage-deflate, or 0 when it was not agreed. */
    private final int deflateBits;
    private final MessageInflater inflater;
    private final FrameReader reader;
    private final ProtocolErrorLog errors;
    /** The client as log lines name it: its address, and {@code via=} the proxy's when a trusted proxy forwarded it. */
    private final String peer;

    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closeSent = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private boolean sendingFragments;

    /** Set when a {@link WireLoop} reads this connection (see {@link #onLoop}); then writes go to {@link #writer}. */
    private volatile ChannelWriter writer;
    private volatile SocketChannel loopChannel;
    private volatile SelectionKey key;
    private volatile boolean offLoop;
    private MemoryInput memory;
    private volatile ConnectionTasks tasks;
    /** Held while the loop handles this connection's bytes, so that its end never frees the inflater under it. */
    private final ReentrantLock readLock = new ReentrantLock();
    private boolean released;
    private boolean lingering;
    private long lingerLeft;
    private volatile long lingerStartNanos;
    private volatile long lingerReadNanos;

    private volatile Thread myThread;
    private volatile boolean canRun = true;
    private volatile long lastReadNanos = System.nanoTime();

    WireConnection(ConnectionContext ctx, HttpPrologue prologue, WsListener listener, WirePolicy policy,
                   Optional<DeflateParams> deflate, ProtocolErrorLog errors, String peer) {
        this.ctx = ctx;
        this.prologue = prologue;
        this.listener = listener;
        this.policy = policy;
        this.deflate = deflate.isPresent();
        this.deflateBits = deflate.map(DeflateParams::serverWindowBits).orElse(0);
        this.inflater = deflate.map(p -> new MessageInflater(p.clientNoContextTakeover())).orElse(null);
        this.reader = new FrameReader(policy, this.deflate, new MessageAssembler(policy, inflater),
                new FrameReader.Frames() {
                    @Override
                    public void message(MessageAssembler.Message m) {
                        WireConnection.this.message(m);
                    }

                    @Override
                    public void control(int opcode, byte[] payload) {
                        WireConnection.this.control(opcode, payload);
                    }

                    @Override
                    public void heard() {
                        lastReadNanos = System.nanoTime();
                    }

                    @Override
                    public boolean reading() {
                        return canRun;
                    }
                });
        this.errors = errors;
        this.peer = peer;
    }

    @Override
    public void handle(Limit limit) {
        myThread = Thread.currentThread();
        input = WireInput.of(ctx);
        policy.afterUpgrade().accept(ctx);
        try {
            listener.onOpen(this);
            if (policy.loops().isPresent() && input instanceof ChannelInput channelInput && canRun) {
                onLoop(policy.loops().get().next(), channelInput);
                return;
            }
            while (canRun) {
                // An idle connection waits here, not inside readFrame: fewer frames in its parked stack, the biggest
                // thing it holds (ChannelInput.awaitAvailable says how much).
                input.awaitAvailable();
                reader.readFrame(input);
            }
        } catch (ProtocolViolation v) {
            errors.record(peer, v.closeCode(), v.getMessage());
            sendClose(v.closeCode(), v.getMessage());
            ended(v.closeCode(), v.getMessage());
            lingerAfterClose();
        } catch (DataReader.InsufficientDataAvailableException | UncheckedIOException | ServerConnectionException
                 | SocketWriterException e) {
            ended(CloseCodes.ABNORMAL, "connection dropped");   // the peer went away, or we were told to stop
        } catch (RuntimeException e) {
            if (myThread.isInterrupted() || !canRun) {
                ended(CloseCodes.ABNORMAL, "connection stopped");
                return;
            }
            LOG.log(Level.WARNING, "event=ws-failed peer=" + peer, e);   // our bug, not the client's: keep the trace
            sendClose(CloseCodes.INTERNAL_ERROR, "internal error");
            ended(CloseCodes.INTERNAL_ERROR, "internal error");
        } finally {
            readLock.lock();
            try {
                released = true;
                if (inflater != null) {
                    inflater.release();
                }
            } finally {
                readLock.unlock();
            }
        }
    }

    // ---- Read by a selector thread (matchbook.ws.selector-threads) ----

    /**
     * Moves the connection's reads to {@code on} and serves what the loop hands back ({@link ConnectionTasks}) until
     * the connection ends; returning lets Helidon close the socket, as the read loop's end does. The socket turns
     * non-blocking under the write lock, so no write is half done in the other mode.
     */
    private void onLoop(WireLoop on, ChannelInput channelInput) {
        writeLock.lock();
        try {
            SocketChannel ch = channelInput.channel();
            ch.configureBlocking(false);
            memory = new MemoryInput(channelInput.takeBuffered());
            input = memory;
            tasks = new ConnectionTasks();
            writer = new ChannelWriter(ch, on);
            loopChannel = ch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writeLock.unlock();
        }
        on.register(this);
        try {
            tasks.serve(this::lingerOver, Settings.Timings.CLOSE_LINGER_QUIET.toNanos() / 2);
        } catch (InterruptedException e) {
            ended(CloseCodes.ABNORMAL, "connection stopped");   // terminate() or the server's stop
        } finally {
            offLoop = true;
            SelectionKey k = key;
            if (k != null) {
                k.cancel();
            }
            writer.wake();
        }
    }

    SocketChannel loopChannel() {
        return loopChannel;
    }

    /** The loop registered the channel; a connection that ended meanwhile is taken off again. */
    void registered(SelectionKey k) {
        key = k;
        writer.key(k);
        if (offLoop) {
            k.cancel();
        }
    }

    /** The loop could not register the channel: it was closed before. */
    void dropped() {
        ended(CloseCodes.ABNORMAL, "connection dropped");
        tasks.finish();
    }

    /** The loop saw the socket writable: a writer waits for that. */
    void writable() {
        writer.writable();
    }

    /**
     * The loop's turn for this connection: one read, then what it brought handled as {@link #handle}'s loop
     * handles it ({@link FrameReader#readAvailable}), with the same outcomes (a violation closes with its code, then lingers; the end of the stream or a
     * failed read is 1006). Never blocks: the close frames it sends go through {@link #tasks}.
     */
    void readable(WireLoop on) {
        if (!readLock.tryLock()) {
            return;   // the connection's end holds it: nothing more is read
        }
        try {
            if (released) {
                return;
            }
            int n = on.read(loopChannel, memory);
            if (lingering) {
                lingered(n);
                return;
            }
            if (n > 0) {
                lastReadNanos = System.nanoTime();
            }
            reader.readAvailable(memory);
            if (n < 0 && canRun) {
                throw new DataReader.InsufficientDataAvailableException();
            }
            if (!canRun) {
                stopReading();
            }
        } catch (ProtocolViolation v) {
            errors.record(peer, v.closeCode(), v.getMessage());
            sendClose(v.closeCode(), v.getMessage());
            ended(v.closeCode(), v.getMessage());
            startLinger();
        } catch (DataReader.InsufficientDataAvailableException | IOException | UncheckedIOException
                 | ServerConnectionException | SocketWriterException e) {
            ended(CloseCodes.ABNORMAL, "connection dropped");
            stopReading();
        } catch (RuntimeException e) {
            if (!canRun) {
                ended(CloseCodes.ABNORMAL, "connection stopped");
            } else {
                LOG.log(Level.WARNING, "event=ws-failed peer=" + peer, e);   // our bug, not the client's
                sendClose(CloseCodes.INTERNAL_ERROR, "internal error");
                ended(CloseCodes.INTERNAL_ERROR, "internal error");
            }
            stopReading();
        } finally {
            readLock.unlock();
        }
    }

    /**
     * No more reads, and the connection's thread returns once the writes posted before are out. The key stays
     * registered until then: a writer part way through a frame still needs its {@code OP_WRITE} to finish it, and
     * {@link #onLoop} cancels the key as the connection ends.
     */
    private void stopReading() {
        canRun = false;
        SelectionKey k = key;
        if (k != null) {
            try {
                k.interestOpsAnd(~SelectionKey.OP_READ);
            } catch (CancelledKeyException e) {
                // already off the loop
            }
        }
        tasks.finish();
    }

    /**
     * The loop could not handle this connection ({@link WireLoop} caught an {@link Error} from it): it is closed with
     * 1011 and ended, and the loop goes on with its other sockets.
     */
    void abandon() {
        canRun = false;
        sendClose(CloseCodes.INTERNAL_ERROR, "internal error");
        ended(CloseCodes.INTERNAL_ERROR, "internal error");
        stopReading();
    }

    /** {@link #lingerAfterClose} on the loop: reads are dropped here, the connection's thread keeps the time. */
    private void startLinger() {
        lingering = true;
        lingerLeft = Settings.Timings.CLOSE_LINGER_BYTES;
        memory.clear();
        lingerStartNanos = System.nanoTime();
        lingerReadNanos = lingerStartNanos;
        // The clock starts again once the close frame posted before is out, as the blocking reader's starts after it.
        tasks.post(() -> {
            lingerStartNanos = System.nanoTime();
            lingerReadNanos = lingerStartNanos;
        });
        tasks.linger();
    }

    private void lingered(int n) {
        memory.clear();
        if (n > 0) {
            lingerLeft -= n;
            lingerReadNanos = System.nanoTime();
        }
        if (n < 0 || lingerLeft <= 0) {
            stopReading();
        }
    }

    private boolean lingerOver() {
        long now = System.nanoTime();
        return now - lingerReadNanos >= Settings.Timings.CLOSE_LINGER_QUIET.toNanos()
               || now - lingerStartNanos >= Settings.Timings.CLOSE_LINGER.toNanos();
    }

    /**
     * Whether the caller is a selector thread (this connection's or another's), where no write may wait: they go to
     * {@link #tasks}, once the connection is on a loop.
     */
    private boolean onLoopThread() {
        return WireLoops.onSelectorThread() && tasks != null;
    }

    /** A whole message from {@link #reader}: to the listener, unless our close has gone out. */
    private void message(MessageAssembler.Message m) {
        if (closeSent.get()) {
            return;   // RFC 6455 5.5.1: after our close, data is no longer delivered
        }
        if (m.text() != null) {
            listener.onMessage(this, m.text(), true);
        } else {
            listener.onMessage(this, BufferData.create(m.binary()), true);
        }
    }

    private void control(int opcode, byte[] payload) {
        switch (opcode) {
            case FrameHeader.PING -> listener.onPing(this, BufferData.create(payload));
            case FrameHeader.PONG -> listener.onPong(this, BufferData.create(payload));
            default -> {
                int code = FrameRules.closePayloadIsValid(payload);
                // RFC 6455 5.5.1: answer with a close echoing the code; 7.1.1: then the server closes the TCP connection.
                byte[] answer = FrameEncoder.frame(FIN | FrameHeader.CLOSE,
                        code == CloseCodes.NO_STATUS ? new byte[0] : new byte[] {payload[0], payload[1]});
                if (onLoopThread()) {
                    tasks.post(() -> answerClose(answer));   // after what the loop posted before, an echo included
                } else {
                    answerClose(answer);
                }
                ended(code, FrameRules.reason(payload));
                canRun = false;
            }
        }
    }

    private void answerClose(byte[] answer) {
        if (closeSent.compareAndSet(false, true)) {
            write(answer);
        }
    }

    /** Tells the listener once that the connection is over, whichever way it ended. */
    private void ended(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            try {
                listener.onClose(this, code, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=ws-on-close-failed peer=" + peer, e);
            }
        }
    }

    /**
     * Reads and drops what the client still sends after our Close for a violation (the rest of an oversized message,
     * its own Close) until it has been quiet for {@link Settings.Timings#CLOSE_LINGER_QUIET}, for at most
     * {@link Settings.Timings#CLOSE_LINGER} and {@link Settings.Timings#CLOSE_LINGER_BYTES}. Returning at once would let
     * Helidon close a socket with unread bytes, which the kernel answers with a reset that can reach the client before
     * it has read our Close frame: it would see 1006, not 1002/1007/1009 (RFC 6455 7.1.1 wants the server's TCP close
     * to follow the closing handshake, not to cut it off). The watcher ends the wait by interrupting this thread, which
     * closes the socket.
     */
    private void lingerAfterClose() {
        Thread self = Thread.currentThread();
        long startedNanos = System.nanoTime();
        AtomicLong lastReadNanos = new AtomicLong(startedNanos);
        long quiet = Settings.Timings.CLOSE_LINGER_QUIET.toNanos();
        long most = Settings.Timings.CLOSE_LINGER.toNanos();
        Thread watcher = Thread.ofVirtual().name("ws-linger").start(() -> {
            try {
                while (true) {
                    Thread.sleep(Settings.Timings.CLOSE_LINGER_QUIET.dividedBy(2));
                    long now = System.nanoTime();
                    if (now - lastReadNanos.get() >= quiet || now - startedNanos >= most) {
                        self.interrupt();
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // the client hung up first
            }
        });
        try {
            long left = Settings.Timings.CLOSE_LINGER_BYTES;
            while (left > 0 && !self.isInterrupted()) {
                int n = (int) Math.min(input.awaitAvailable(), left);
                input.skip(n);
                left -= n;
                lastReadNanos.set(System.nanoTime());
            }
        } catch (RuntimeException e) {
            // end of stream, a reset, or the watcher: the linger is over either way
        } finally {
            watcher.interrupt();
            Thread.interrupted();   // the watcher's interrupt was ours, not a request to stop the server
        }
    }

    // ---- WsSession: what the endpoint may write ----

    @Override
    public WsSession send(String text, boolean last) {
        sendData(FrameHeader.TEXT, text.getBytes(StandardCharsets.UTF_8), last);
        return this;
    }

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        byte[] bytes = new byte[bufferData.available()];
        bufferData.read(bytes);
        sendData(FrameHeader.BINARY, bytes, last);
        return this;
    }

    private void sendData(int opcode, byte[] payload, boolean last) {
        if (onLoopThread()) {
            tasks.post(() -> sendData(opcode, payload, last));
            return;
        }
        writeLock.lock();
        try {
            if (!sendingFragments && last) {
                writeUnlessClosing(FrameEncoder.encode(List.of(new WireFrame(opcode, payload)), deflateBits));
                return;
            }
            // A message the endpoint sends in parts goes out uncompressed, as continuation frames after the first.
            int first = (last ? FIN : 0) | (sendingFragments ? FrameHeader.CONTINUATION : opcode);
            sendingFragments = !last;
            writeUnlessClosing(FrameEncoder.frame(first, payload));
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void sendAll(List<WireFrame> messages) {
        writeUnlessClosing(FrameEncoder.encode(messages, deflateBits));
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        writeUnlessClosing(FrameEncoder.frame(FIN | FrameHeader.PING, control(bufferData)));
        return this;
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        writeUnlessClosing(FrameEncoder.frame(FIN | FrameHeader.PONG, control(bufferData)));
        return this;
    }

    @Override
    public WsSession close(int code, String reason) {
        sendClose(code, reason);
        return this;
    }

    /** Stops the connection now: the reading thread is interrupted, which closes the socket. */
    @Override
    public WsSession terminate() {
        canRun = false;
        Thread t = myThread;
        if (t != null) {
            t.interrupt();
        }
        return this;
    }

    @Override
    public Optional<String> subProtocol() {
        return Optional.empty();
    }

    @Override
    public SocketContext socketContext() {
        return ctx;
    }

    @Override
    public HttpPrologue prologue() {
        return prologue;
    }

    @Override
    public long lastReadNanos() {
        return lastReadNanos;
    }

    // ---- ServerConnection: what Helidon asks of an upgraded connection ----

    @Override
    public Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - lastReadNanos);
    }

    @Override
    public void close(boolean interrupt) {
        canRun = false;
        Thread t = myThread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void sendClose(int code, String reason) {
        if (onLoopThread()) {
            tasks.post(() -> sendClose(code, reason));
            return;
        }
        if (!closeSent.compareAndSet(false, true)) {
            return;
        }
        byte[] r = truncated(reason);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        try {
            write(FrameEncoder.frame(FIN | FrameHeader.CLOSE, payload));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "event=ws-close-not-sent peer=" + peer + " cause=" + e);
        }
    }

    /**
     * Writes data or ping/pong frames unless a Close frame has gone out: RFC 6455 5.5.1, an endpoint sends no data
     * after its Close frame (a browser fails the connection with "Data frame received after close" otherwise). The
     * check is under the write lock, so a frame either goes out before the close or not at all; an outbox still
     * draining when the peer closed loses nothing that is stored (it is replayed at the next connect).
     */
    private void writeUnlessClosing(byte[] frames) {
        if (onLoopThread()) {
            tasks.post(() -> writeUnlessClosing(frames));
            return;
        }
        writeLock.lock();
        try {
            if (closeSent.get()) {
                return;
            }
            write(frames);
        } finally {
            writeLock.unlock();
        }
    }

    private void write(byte[] frames) {
        if (onLoopThread()) {
            tasks.post(() -> write(frames));
            return;
        }
        writeLock.lock();
        try {
            ChannelWriter w = writer;
            if (w != null) {
                w.write(frames);
            } else {
                ctx.dataWriter().writeNow(BufferData.create(frames));
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static byte[] control(BufferData data) {
        byte[] bytes = new byte[data.available()];
        data.read(bytes);
        if (bytes.length > FrameRules.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("control frame payload over 125 bytes (RFC 6455 5.5)");
        }
        return bytes;
    }

    /** RFC 6455 5.5: the reason fits in 123 bytes; {@link CloseReasons#truncate} cuts it at a character boundary. */
    private static byte[] truncated(String reason) {
        return CloseReasons.truncate(reason).getBytes(StandardCharsets.UTF_8);
    }
}
