package com.matchbook.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * A client socket's whole pipeline: the WebSocket upgrade and RFC 6455 framing done by hand, because Netty's
 * HTTP and WebSocket codecs (an object per frame, several handlers per read) cost the generator about as much per
 * message as the leanest server spends. Frames are handled in place in the read buffer; nothing is allocated per
 * received frame. Outgoing frames carry an all-zero mask key: the server still unmasks every byte, the generator
 * skips the XOR.
 */
final class RawSocket extends ByteToMessageDecoder {
    /** Room in front of a payload for the largest header we send: 2 + 2 (16-bit length) + 4 (mask key). */
    static final int HEADROOM = 8;

    private final Load load;
    private final Client client;
    private final String request;
    private boolean open;

    RawSocket(Load load, Client client, String host, String path) {
        this.load = load;
        this.client = client;
        this.request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }

    /** A buffer to write a text payload into, with headroom for the frame header that {@link #text} adds. */
    static ByteBuf payload(ByteBufAllocator alloc, int expected) {
        ByteBuf b = alloc.buffer(expected + HEADROOM);
        b.writerIndex(HEADROOM).readerIndex(HEADROOM);
        return b;
    }

    /** Turns a buffer from {@link #payload} into a masked text frame (payloads under 64 KiB). */
    static ByteBuf text(ByteBuf b) {
        return frame(b, 0x81);
    }

    private static ByteBuf frame(ByteBuf b, int firstByte) {
        int len = b.writerIndex() - HEADROOM;
        int start = len < 126 ? HEADROOM - 6 : HEADROOM - 8;
        b.setByte(start, firstByte);
        if (len < 126) {
            b.setByte(start + 1, 0x80 | len);
        } else {
            b.setByte(start + 1, 0x80 | 126);
            b.setShort(start + 2, len);
        }
        b.setInt(HEADROOM - 4, 0);
        return b.readerIndex(start);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(ctx.alloc().buffer(request.length()).writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!open && !handshake(ctx, in)) {
            return;
        }
        while (in.readableBytes() >= 2) {
            int at = in.readerIndex();
            int opcode = in.getByte(at) & 0x0f;
            int len = in.getByte(at + 1) & 0x7f;
            int header = 2;
            if (len == 126) {
                if (in.readableBytes() < 4) {
                    return;
                }
                len = in.getUnsignedShort(at + 2);
                header = 4;
            } else if (len == 127) {
                if (in.readableBytes() < 10) {
                    return;
                }
                len = (int) in.getLong(at + 2);
                header = 10;
            }
            if (in.readableBytes() < header + len) {
                return;
            }
            ByteBuf body = in.slice(at + header, len);
            in.readerIndex(at + header + len);
            switch (opcode) {
                case 0x1 -> load.onText(client, ctx.channel(), body);
                case 0x8 -> {
                    int code = len >= 2 ? body.getUnsignedShort(body.readerIndex()) : 1005;
                    String reason = len > 2 ? body.toString(body.readerIndex() + 2, len - 2, StandardCharsets.UTF_8) : "";
                    load.onCloseFrame(client, code, reason);
                    ctx.close();
                    return;
                }
                case 0x9 -> {
                    ByteBuf pong = payload(ctx.alloc(), len);
                    pong.writeBytes(body);
                    ctx.writeAndFlush(frame(pong, 0x8A), ctx.voidPromise());
                }
                default -> {
                    // pongs, and the continuation of a split message (no server here splits small frames)
                }
            }
        }
    }

    /** A reset (the server was killed, or closed a socket hard) ends the socket; {@link Load} sees it close. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** @return whether the upgrade is through (101); a refusal is recorded with its status and Retry-After */
    private boolean handshake(ChannelHandlerContext ctx, ByteBuf in) {
        int end = -1;
        for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r'
                    && in.getByte(i + 3) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return false;
        }
        String head = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.US_ASCII);
        in.readerIndex(end + 4);
        String[] lines = head.split("\r\n");
        int status = lines[0].length() >= 12 ? Integer.parseInt(lines[0].substring(9, 12)) : 0;
        if (status == 101) {
            open = true;
            load.onUpgraded();
            return true;
        }
        long retryAfterMs = 0;
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("retry-after:")) {
                String v = line.substring(12).trim();
                retryAfterMs = v.matches("\\d+") ? Long.parseLong(v) * 1000 : 0;
            }
        }
        load.onRefused(client, status, retryAfterMs);
        in.skipBytes(in.readableBytes());
        ctx.close();
        return false;
    }
}
