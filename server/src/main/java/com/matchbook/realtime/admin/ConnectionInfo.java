package com.matchbook.realtime.admin;

import java.time.Instant;

import com.matchbook.realtime.hub.Connection;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * One connection as the console lists it (PROTOCOL.md "Operator console"): the contract's fields, then what the page
 * shows beside them.
 *
 * @param connectionId the hub's id for it, unique in the cluster while it is open
 * @param user         its user id
 * @param node         the node holding it
 * @param openedAt     when it was registered
 * @param transport    {@code "websocket"} or {@code "sse"}
 * @param outboxDepth  frames queued and not yet written
 */
public record ConnectionInfo(String connectionId, String user, String node, Instant openedAt, String transport,
                             int outboxDepth) {

    static ConnectionInfo of(Connection c, String node) {
        return new ConnectionInfo(c.id(), c.userId(), node, c.openedAt(), c.isStream() ? "sse" : "websocket",
                                  c.outboxDepth());
    }

    /** As JSON; {@code ageMs} is measured against {@code now} (the answering node's clock). */
    public JsonObject toJson(Instant now) {
        return Json.createObjectBuilder()
                .add("connectionId", connectionId)
                .add("user", user)
                .add("node", node)
                .add("openedAt", openedAt.toString())
                .add("transport", transport)
                .add("ageMs", Math.max(0, now.toEpochMilli() - openedAt.toEpochMilli()))
                .add("outboxDepth", outboxDepth)
                .build();
    }

    public static ConnectionInfo fromJson(JsonObject o) {
        return new ConnectionInfo(o.getString("connectionId"), o.getString("user"), o.getString("node"),
                                  Instant.parse(o.getString("openedAt")), o.getString("transport"),
                                  o.getInt("outboxDepth"));
    }
}
