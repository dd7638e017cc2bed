package com.matchbook.bench.helidon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/** One socket after the upgrade (Helidon makes one listener per connection): who it is and what its frames ask for. */
final class HubListener implements WsListener {
    private static final String PONG = "{\"type\":\"pong\"}";

    private final Hub hub;
    private String user = "";
    private Peer peer;

    HubListener(Hub hub) {
        this.hub = hub;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        user = prologue.query().first("id").orElse("");
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        if (user.isEmpty()) {
            session.close(4000, "missing id");
            return;
        }
        Peer self = new Peer(session, () -> hub.leave(user, this.peer));
        peer = self;
        self.send(hub.join(user, self));
    }

    @Override
    public void onMessage(WsSession session, String frame, boolean last) {
        if (peer == null) {
            return;
        }
        String type = null;
        String ref = null;
        String to = null;
        String text = null;
        try (JsonParser p = Hub.JSON.createParser(frame)) {
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
        } catch (IOException e) {
            return;   // not JSON: a bare hub ignores it
        }
        if ("send".equals(type) && to != null && text != null) {
            Hub.Delivered d = hub.deliver(user, to, text);
            String refField = ref == null ? "" : ref;
            peer.send(Hub.encode(g -> {
                g.writeStringField("type", "ack");
                g.writeStringField("ref", refField);
                g.writeStringField("id", d.id());
                g.writeNumberField("seq", d.seq());
            }));
        } else if ("broadcast".equals(type) && text != null) {
            hub.broadcast(user, text);
        } else if ("ping".equals(type)) {
            peer.send(PONG);
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (peer != null) {
            hub.leave(user, peer);
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        if (peer != null) {
            hub.leave(user, peer);
        }
    }
}
