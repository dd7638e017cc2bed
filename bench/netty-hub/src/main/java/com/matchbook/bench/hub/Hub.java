package com.matchbook.bench.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Users and their sockets. Only ever touched from the single event loop thread, so plain maps suffice.
 * A message is written into one buffer and every recipient socket gets a retained view of it.
 */
final class Hub {
    static final JsonFactory JSON = new JsonFactory();

    private final Map<String, List<Channel>> users = new HashMap<>();
    private final Map<String, long[]> seqs = new HashMap<>();
    private final ChannelGroup everyone = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private long messageCount;
    private long connectionCount;

    /** @return the welcome frame for this new socket */
    ByteBuf join(String user, Channel ch) {
        users.computeIfAbsent(user, u -> new ArrayList<>(1)).add(ch);
        everyone.add(ch);
        ch.closeFuture().addListener(f -> leave(user, ch));
        long lastSeq = seqs.containsKey(user) ? seqs.get(user)[0] : 0;
        return encode(ch.alloc(), g -> {
            g.writeStringField("type", "welcome");
            g.writeStringField("id", user);
            g.writeStringField("connectionId", "c" + ++connectionCount);
            g.writeNumberField("heartbeatMs", 25000);
            g.writeNumberField("lastSeq", lastSeq);
        });
    }

    private void leave(String user, Channel ch) {
        List<Channel> sockets = users.get(user);
        if (sockets != null && sockets.remove(ch) && sockets.isEmpty()) {
            users.remove(user);
        }
    }

    /** Numbers the message for its recipient and writes it to each of the recipient's sockets. */
    Delivered deliver(ByteBufAllocator alloc, String from, String to, String text) {
        long seq = ++seqs.computeIfAbsent(to, u -> new long[1])[0];
        String id = "m" + ++messageCount;
        ByteBuf frame = encode(alloc, g -> {
            g.writeStringField("type", "message");
            g.writeStringField("id", id);
            g.writeNumberField("seq", seq);
            g.writeStringField("channel", "chat");
            g.writeStringField("from", from);
            g.writeStringField("to", to);
            g.writeStringField("text", text);
            g.writeStringField("sentAt", Instant.now().toString());
        });
        List<Channel> sockets = users.get(to);
        if (sockets != null) {
            for (Channel ch : sockets) {
                ch.writeAndFlush(new TextWebSocketFrame(frame.retainedDuplicate()), ch.voidPromise());
            }
        }
        frame.release();
        return new Delivered(id, seq);
    }

    void broadcast(ByteBufAllocator alloc, String from, String text) {
        String id = "b" + ++messageCount;
        ByteBuf frame = encode(alloc, g -> {
            g.writeStringField("type", "message");
            g.writeStringField("id", id);
            g.writeStringField("channel", "chat");
            g.writeStringField("from", from);
            g.writeStringField("text", text);
            g.writeStringField("sentAt", Instant.now().toString());
            g.writeBooleanField("broadcast", true);
        });
        // The group hands each channel its own retained duplicate of the one buffer.
        everyone.writeAndFlush(new TextWebSocketFrame(frame));
    }

    record Delivered(String id, long seq) {
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static ByteBuf encode(ByteBufAllocator alloc, Fields fields) {
        ByteBuf buf = alloc.buffer(256);
        try (JsonGenerator g = JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        }
        return buf;
    }
}
