package com.matchbook.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Hands a socket's frames and failures to the {@link Load} that owns it. Pings are answered by Netty itself. */
final class ClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Load load;
    private final Client client;

    ClientHandler(Load load, Client client) {
        this.load = load;
        this.client = client;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            load.onText(client, ctx.channel(), frame.content());
        } else if (frame instanceof CloseWebSocketFrame close) {
            load.onCloseFrame(client, close.statusCode(), close.reasonText());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        load.onFailure(client, cause);
        ctx.close();
    }
}
