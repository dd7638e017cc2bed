package com.matchbook.bench.hub;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;

/** One socket's frames after the upgrade: who it is (from {@code ?id=}) and what its {@code send}s ask for. */
final class HubSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private static final String PONG = "{\"type\":\"pong\"}";

    private final Hub hub;
    private String user;

    HubSocket(Hub hub) {
        this.hub = hub;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete done) {
            user = new QueryStringDecoder(done.requestUri()).parameters().getOrDefault("id", List.of(""))
                    .get(0);
            if (user.isEmpty()) {
                ctx.writeAndFlush(new CloseWebSocketFrame(4000, "missing id")).addListener(f -> ctx.close());
                return;
            }
            ctx.writeAndFlush(new TextWebSocketFrame(hub.join(user, ctx.channel())), ctx.voidPromise());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) throws IOException {
        String type = null;
        String ref = null;
        String to = null;
        String text = null;
        try (InputStream in = new ByteBufInputStream(frame.content());
             JsonParser p = Hub.JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "type" -> type = p.getText();
                    case "ref" -> ref = p.getText();
                    case "to" -> to = p.getText();
                    case "text" -> text = p.getText();
                    default -> p.skipChildren();
                }
            }
        }
        if ("send".equals(type) && to != null && text != null) {
            Hub.Delivered d = hub.deliver(ctx.alloc(), user, to, text);
            String refField = ref == null ? "" : ref;
            ctx.writeAndFlush(new TextWebSocketFrame(Hub.encode(ctx.alloc(), g -> {
                g.writeStringField("type", "ack");
                g.writeStringField("ref", refField);
                g.writeStringField("id", d.id());
                g.writeNumberField("seq", d.seq());
            })), ctx.voidPromise());
        } else if ("broadcast".equals(type) && text != null) {
            hub.broadcast(ctx.alloc(), user, text);
        } else if ("ping".equals(type)) {
            ctx.writeAndFlush(new TextWebSocketFrame(PONG), ctx.voidPromise());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
