package com.matchbook.realtime.http;

import java.util.Map;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.hub.Presence;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.store.MessageStore;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

/**
 * {@code /api/users/{id}/...}: history for resync after a gap, and presence; with the 1.1 conversations, blocks and
 * message edits ({@link ConversationsService}, {@link BlocksService}, {@link MessageEditsService}).
 */
public final class UsersService implements HttpService {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final MessageStore store;
    private final Presence presence;
    private final Access access;

    private final ConversationsService conversations;
    private final BlocksService blocks;
    private final MessageEditsService edits;

    public UsersService(Delivery delivery, Presence presence, Access access, Settings settings) {
        this.store = delivery.store();
        this.access = access;
        this.presence = presence;
        this.conversations = new ConversationsService(store, access);
        this.blocks = new BlocksService(store, access);
        this.edits = new MessageEditsService(delivery, access, settings.maxTextBytes(), settings.maxBinaryBytes());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/messages", this::messages)
                .get("/{id}/presence", this::presence)
                .register(conversations, blocks, edits);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        String id = userId(req);
        long since = number(req, "since", 0);
        int limit = UserRequests.limit(req, DEFAULT_LIMIT, MAX_LIMIT);
        MessageStore.Slice slice = store.since(id, since, limit);
        // Each message is already JSON (the frames' encoding): join the strings instead of rebuilding a tree.
        StringBuilder out = new StringBuilder(64 + slice.messages().size() * 160).append("{\"messages\":[");
        for (int i = 0; i < slice.messages().size(); i++) {
            out.append(i == 0 ? "" : ",").append(Frames.historyJson(slice.messages().get(i)));
        }
        out.append("],\"lastSeq\":").append(slice.lastSeq())
                .append(",\"complete\":").append(slice.completeAfter(since)).append('}');
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(out.toString());
    }

    private void presence(ServerRequest req, ServerResponse res) {
        String id = userId(req);
        int connections = presence.connections(id);
        JsonAnswers.send(res, JSON.createObjectBuilder()
                         .add("id", id)
                         .add("online", connections > 0 || presence.online(id))
                         .add("connections", connections)
                         .build());
    }

    private String userId(ServerRequest req) {
        return UserRequests.owner(req, access);
    }

    private static long number(ServerRequest req, String name, long fallback) {
        return UserRequests.number(req, name, fallback);
    }
}
