package com.matchbook.bench.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The HTTP side the benchmark drives: {@code POST /send-message} and {@code POST /api/broadcast} with
 * {@code {"to","from","text"}}, and {@code GET /health}. Upgrades to {@code /ws} pass on to the WebSocket handler.
 */
final class HttpApi extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Hub hub;

    HttpApi(Hub hub) {
        super(false);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
        if (req.uri().startsWith("/ws")) {
            ctx.fireChannelRead(req);
            return;
        }
        try {
            if (req.method().equals(HttpMethod.GET) && req.uri().equals("/health")) {
                respond(ctx, req, HttpResponseStatus.OK, "{\"status\":\"UP\"}");
                return;
            }
            if (!req.method().equals(HttpMethod.POST)) {
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not_found\"}");
                return;
            }
            String to = null;
            String from = "system";
            String text = null;
            try (InputStream in = new ByteBufInputStream(req.content().duplicate());
                 JsonParser p = Hub.JSON.createParser(in)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        p.nextToken();
                        switch (field) {
                            case "to" -> to = p.getText();
                            case "from" -> from = p.getText();
                            case "text" -> text = p.getText();
                            default -> p.skipChildren();
                        }
                    }
                }
            } catch (IOException e) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"invalid_json\"}");
                return;
            }
            if (text == null) {
                respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "{\"error\":\"missing_field\"}");
            } else if (req.uri().equals("/send-message") && to != null) {
                Hub.Delivered d = hub.deliver(ctx.alloc(), from, to, text);
                respond(ctx, req, HttpResponseStatus.ACCEPTED, "{\"id\":\"" + d.id() + "\",\"seq\":" + d.seq() + "}");
            } else if (req.uri().equals("/api/broadcast")) {
                hub.broadcast(ctx.alloc(), from, text);
                respond(ctx, req, HttpResponseStatus.ACCEPTED, "{}");
            } else {
                respond(ctx, req, HttpResponseStatus.NOT_FOUND, "{\"error\":\"not_found\"}");
            }
        } finally {
            req.release();
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                                String json) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(res, res.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
