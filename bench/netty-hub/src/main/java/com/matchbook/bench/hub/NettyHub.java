package com.matchbook.bench.hub;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The Netty peer: Matchbook's core protocol (welcome, send/ack, message) on Netty's own WebSocket codec, with no
 * history, no limits and no JSON tree, each outgoing message encoded once. One event loop thread does everything,
 * which is what a server pinned to one core can use anyway, and it keeps the hub's state single-threaded.
 * Usage: {@code java -Dport=18085 -jar netty-hub.jar}
 */
public final class NettyHub {
    private NettyHub() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.getInteger("port", 18085);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Hub hub = new Hub();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(true)
                .maxFramePayloadLength(65536)
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new HttpApi(hub), new WebSocketServerProtocolHandler(ws), new HubSocket(hub));
                    }
                });
        bootstrap.bind("127.0.0.1", port).sync();
        System.out.println("netty hub listening on " + port + (epoll ? " (epoll)" : " (nio)"));
    }
}
