package com.matchbook.realtime.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Caller;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Drafts;
import com.matchbook.realtime.protocol.JsonText;
import com.matchbook.realtime.protocol.Utf8;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/** {@code /api/broadcast} and {@code /api/stats}. */
public final class ApiService implements HttpService {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private final Delivery delivery;
    private final Settings settings;
    private final Access access;
    private final Supplier<JsonObject> nodeStats;
    private final Supplier<Map<String, String>> clusterStats;
    private final String nodeId;

    /**
     * @param nodeStats    this node's counters, as {@code /api/stats} gives them on one node
     * @param clusterStats every live node's stats JSON by node id; empty on a single node
     * @param nodeId       this node's id in the cluster
     */
    public ApiService(Delivery delivery, Settings settings, Access access, Supplier<JsonObject> nodeStats,
                      Supplier<Map<String, String>> clusterStats, String nodeId) {
        this.delivery = delivery;
        this.settings = settings;
        this.access = access;
        this.nodeStats = nodeStats;
        this.clusterStats = clusterStats;
        this.nodeId = nodeId;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/broadcast", this::broadcast)
                .get("/stats", this::stats);
    }

    private void broadcast(ServerRequest req, ServerResponse res) {
        Caller caller = access.caller(req.headers());
        caller.requireService();
        JsonObject body = JsonBodies.object(req, settings.maxBinaryBytes());
        Optional<String> text = Drafts.optionalString(body, "text").or(() -> Drafts.optionalString(body, "message"));
        Optional<JsonValue> data = Optional.ofNullable(body.get("data"))
                .filter(v -> v.getValueType() != JsonValue.ValueType.NULL);
        if (text.isEmpty() && data.isEmpty()) {
            throw new BadInputException(400, "missing_field", "'text' or 'data' is required");
        }
        if (text.isPresent() && Utf8.length(text.get()) > settings.maxTextBytes()) {
            throw BadInputException.tooLarge("'text'", settings.maxTextBytes());
        }
        String channel = Drafts.optionalString(body, "channel").orElse(Drafts.DEFAULT_CHANNEL);
        String from = caller.sender(() -> Drafts.optionalString(body, "from"));
        Drafts.validId("from", from);
        int reached = delivery.broadcast(from, channel, text, data);
        JsonAnswers.send(res.status(Status.ACCEPTED_202), JSON.createObjectBuilder().add("connections", reached).build());
    }

    private void stats(ServerRequest req, ServerResponse res) {
        access.caller(req.headers());
        JsonObject node = nodeStats.get();
        Map<String, String> cluster = clusterStats.get();
        if (cluster.isEmpty()) {
            JsonAnswers.send(res, node);
            return;
        }
        // Several nodes: this node's counters at the top level (as on one node), the cluster's sums beside them.
        JsonObjectBuilder sums = JSON.createObjectBuilder().add("nodes", cluster.size());
        for (String field : List.of("connections", "users", "messagesIn", "messagesOut")) {
            long sum = 0;
            for (String json : cluster.values()) {
                sum += JsonText.parse(json).asJsonObject().getJsonNumber(field).longValue();
            }
            sums.add(field, sum);
        }
        JsonAnswers.send(res, JSON.createObjectBuilder(node).add("node", nodeId).add("cluster", sums).build());
    }
}
