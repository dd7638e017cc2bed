package com.matchbook.realtime.http;

import java.util.List;
import java.util.Map;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.store.MessageStore;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

/**
 * {@code GET /api/users/{id}/blocks}, {@code PUT} and {@code DELETE /api/users/{id}/blocks/{other}} (docs/protocol.md
 * "Blocking (1.1)"). A block is on disk before the 204, so the next send between the two is refused.
 */
final class BlocksService implements HttpService {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private final MessageStore store;
    private final Access access;

    BlocksService(MessageStore store, Access access) {
        this.store = store;
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/blocks", this::list)
                .put("/{id}/blocks/{other}", (req, res) -> change(req, res, true))
                .delete("/{id}/blocks/{other}", (req, res) -> change(req, res, false));
    }

    /** {@code {"blocked": ["bob", ...]}}, sorted. */
    private void list(ServerRequest req, ServerResponse res) {
        String id = UserRequests.owner(req, access);
        List<String> blocked = store.blocks(id).stream().sorted().toList();
        JsonAnswers.send(res, JSON.createObjectBuilder().add("blocked", JSON.createArrayBuilder(blocked)).build());
    }

    private void change(ServerRequest req, ServerResponse res, boolean block) {
        String id = UserRequests.owner(req, access);
        String other = UserRequests.pathUser(req, "other");
        if (block && other.equals(id)) {
            throw new ApiException(400, "invalid_field", "'other' cannot be yourself");
        }
        SendMessageService.await(block ? store.block(id, other) : store.unblock(id, other));
        res.status(Status.NO_CONTENT_204).send();
    }
}
