package com.matchbook.bench;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketClientExtensionHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateClientExtensionHandshaker;

/**
 * Matchbook clients that can offer {@code permessage-deflate} (RFC 7692), for the {@code compression} scenario.
 * The other scenarios' {@link RawSocket} never offers it: it is built to cost the generator as little as possible per
 * frame, and compression is the opposite. Here the rates are modest and the figures are the server's, so Netty's
 * own WebSocket client codec and its permessage-deflate handshaker (java.util.zip underneath) do the work, as a
 * browser's would: it compresses every message it sends, keeping its context unless {@code client_no_context_takeover}
 * is agreed.
 *
 * <p>Bytes are counted at the socket (the first handler of each pipeline sees exactly what the kernel is given and
 * returns): WebSocket frames with their headers and mask keys, plus the handshakes; not TCP/IP headers. All state
 * is touched on the one event loop; other threads use {@link #call}.
 */
final class DeflateClients implements AutoCloseable {
    /** What a client offers in {@code Sec-WebSocket-Extensions}. */
    enum Offer {
        /** No offer: plain frames, as with compression off. */
        NONE,
        /** {@code permessage-deflate}: the client keeps its compression context across messages. */
        CONTEXT_TAKEOVER,
        /** {@code permessage-deflate; server_no_context_takeover; client_no_context_takeover}. */
        NO_CONTEXT_TAKEOVER
    }

    private static final String TYPE = "{\"type\":\"";

    private final Offer offer;
    private final int port;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private Channel[] channels = new Channel[0];

    /** Raw bytes the clients wrote to and read from their sockets. */
    long wireOut;
    long wireIn;
    /** Uncompressed text of the frames the clients sent and got (the JSON, without frame headers). */
    long textOut;
    long textIn;
    long sends;
    long welcomes;
    long messages;
    long acks;
    long errors;
    long unexpectedCloses;
    String firstError = "";
    /** Close codes the server sent (1005 for a close frame without one), by count. */
    final Map<Integer, Integer> closeCodes = new TreeMap<>();
    /** The reason of the first close frame the server sent. */
    String firstCloseReason = "";
    /** The {@code Sec-WebSocket-Extensions} of the first 101 answer, "" when there was none. */
    String negotiated;

    DeflateClients(Offer offer, int port) {
        this.offer = offer;
        this.port = port;
    }

    <T> T call(Callable<T> task) {
        return Loops.call(loop, task);
    }

    EventLoop loop() {
        return loop;
    }

    /** Polls a condition on the loop until it holds. @return whether it held before the timeout */
    boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        return Loops.await(loop, condition, timeout);
    }

    /**
     * Connects users {@code u0 .. u<n-1>}, {@code batch} handshakes at a time, and waits for every welcome.
     *
     * @throws IllegalStateException when one is missing after the timeout
     */
    void connect(int n, int batch, Duration timeout) throws InterruptedException {
        channels = new Channel[n];
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            int first = from;
            call(() -> {
                for (int i = first; i < to; i++) {
                    channels[i] = open(i);
                }
                return null;
            });
            long want = to;
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!await(() -> welcomes >= want, left)) {
                throw new IllegalStateException("only " + call(() -> welcomes) + " of " + to + " welcomed ("
                        + offer + ")");
            }
        }
    }

    /** Sends a {@code send} frame from user {@code from} to user {@code to}. On the loop. */
    void send(int from, int to, long ref, String text) {
        String json = "{\"type\":\"send\",\"ref\":\"" + ref + "\",\"to\":\"u" + to + "\",\"text\":\"" + text + "\"}";
        textOut += json.length();
        sends++;
        channels[from].writeAndFlush(new TextWebSocketFrame(json), channels[from].voidPromise());
    }

    private Channel open(int index) {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?id=u" + index);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .allowExtensions(offer != Offer.NONE)
                .generateOriginHeader(false)   // a non-browser client, like the other scenarios' sockets
                .handshakeTimeoutMillis(15_000)
                .handleCloseFrames(false)      // Frames records the server's close code, then closes
                .build();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Counter(), new HttpClientCodec(), new HttpObjectAggregator(8192),
                                new AnswerSniffer());
                        if (offer != Offer.NONE) {
                            boolean none = offer == Offer.NO_CONTEXT_TAKEOVER;
                            // level 6 (zlib's default, what browsers use), 15-bit windows; offer both
                            // no_context_takeover parameters or neither.
                            ch.pipeline().addLast(new WebSocketClientExtensionHandler(
                                    new PerMessageDeflateClientExtensionHandshaker(6, false, 15, none, none, 0)));
                        }
                        ch.pipeline().addLast(new WebSocketClientProtocolHandler(config), new Frames());
                    }
                });
        Channel ch = b.connect(new InetSocketAddress("127.0.0.1", port)).channel();
        ch.closeFuture().addListener(f -> {
            if (!closing) {
                unexpectedCloses++;
            }
        });
        return ch;
    }

    private boolean closing;

    /** Closes every socket (expected; not counted as unexpected). */
    void closeAll() {
        call(() -> {
            closing = true;
            for (Channel c : channels) {
                if (c != null) {
                    c.close();
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        if (!closing) {
            closeAll();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** First in the pipeline: counts what goes to and comes from the socket. */
    private final class Counter extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                wireIn += b.readableBytes();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof ByteBuf b) {
                wireOut += b.readableBytes();
            }
            ctx.write(msg, promise);
        }
    }

    /** Records what the server agreed to, from the first upgrade answer. */
    private final class AnswerSniffer extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (negotiated == null && msg instanceof HttpResponse r && r.status().code() == 101) {
                negotiated = r.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, "");
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The frames the server sends, after inflation. */
    private final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
            if (f instanceof CloseWebSocketFrame close) {
                int code = close.statusCode() < 0 ? 1005 : close.statusCode();
                closeCodes.merge(code, 1, Integer::sum);
                if (firstCloseReason.isEmpty()) {
                    firstCloseReason = code + " " + close.reasonText();
                }
                ctx.close();
                return;
            }
            if (!(f instanceof TextWebSocketFrame frame)) {
                return;
            }
            textIn += frame.content().readableBytes();
            String text = frame.text();
            String type = text.startsWith(TYPE) ? text.substring(TYPE.length(), text.indexOf('"', TYPE.length()))
                    : "";
            switch (type.toLowerCase(Locale.ROOT)) {
                case "welcome" -> welcomes++;
                case "message" -> messages++;
                case "ack" -> acks++;
                case "error" -> {
                    if (errors++ == 0) {
                        firstError = text;
                    }
                }
                default -> {
                    // ping frames, receipts: counted in the bytes only
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (errors++ == 0) {
                firstError = cause.toString();
            }
            ctx.close();
        }
    }
}
