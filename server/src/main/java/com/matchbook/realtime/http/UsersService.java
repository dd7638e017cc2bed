package com.matchbook.realtime.http;

import java.util.Map;

import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Caller;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.hub.Presence;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.protocol.UserId;
import com.matchbook.realtime.store.MessageStore;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

/** {@code /api/users/{id}/...}: history for resync after a gap, and presence. */
public final class UsersService implements HttpService {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final MessageStore store;
    private final Presence presence;
    private final Access access;

    public UsersService(Delivery delivery, Presence presence, Access access) {
        this.store = delivery.store();
        this.access = access;
        this.presence = presence;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/messages", this::messages)
                .get("/{id}/presence", this::presence);
    }

    private void messages(ServerRequest req, ServerResponse res) {
        String id = userId(req);
        long since = number(req, "since", 0);
        int limit = (int) Math.min(MAX_LIMIT, number(req, "limit", DEFAULT_LIMIT));
        if (limit < 1) {
            throw BadInputException.invalid("limit", "must be 1 or more");
        }
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
        res.send(JSON.createObjectBuilder()
                         .add("id", id)
                         .add("online", connections > 0 || presence.online(id))
                         .add("connections", connections)
                         .build());
    }

    /** The path's user, once the caller is known to be that user (or a service). */
    private String userId(ServerRequest req) {
        Caller caller = access.caller(req.headers());
        String id = req.path().pathParameters().get("id");
        if (!UserId.isValid(id)) {
            throw BadInputException.invalid("id", "is not a valid user id: " + UserId.problem(id));
        }
        caller.requireUser(id);
        return id;
    }

    private static long number(ServerRequest req, String name, long fallback) {
        var value = req.query().first(name).asOptional();
        if (value.isEmpty() || value.get().isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.get());
            if (n < 0) {
                throw BadInputException.invalid(name, "must be 0 or more");
            }
            return n;
        } catch (NumberFormatException e) {
            throw BadInputException.invalid(name, "must be a whole number");
        }
    }
}
