package com.matchbook.realtime.http;

import java.util.Map;
import java.util.Optional;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.auth.Caller;
import com.matchbook.realtime.delivery.Delivery;
import com.matchbook.realtime.hub.Hub;
import com.matchbook.realtime.hub.Stats;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.message.Drafts;
import com.matchbook.realtime.message.UserId;
import com.matchbook.realtime.message.Utf8;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** {@code /api/broadcast} and {@code /api/stats}. */
public final class ApiService implements HttpService {
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private final Delivery delivery;
    private final Hub hub;
    private final Stats stats;
    private final Settings settings;
    private final Access access;

    public ApiService(Delivery delivery, Hub hub, Stats stats, Settings settings, Access access) {
        this.delivery = delivery;
        this.access = access;
        this.hub = hub;
        this.stats = stats;
        this.settings = settings;
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
        String from = caller.sender(Drafts.optionalString(body, "from"));
        if (!UserId.isValid(from)) {
            throw BadInputException.invalid("from", "is not a valid user id: " + UserId.problem(from));
        }
        int reached = delivery.broadcast(from, channel, text, data);
        res.status(Status.ACCEPTED_202).send(JSON.createObjectBuilder().add("connections", reached).build());
    }

    private void stats(ServerRequest req, ServerResponse res) {
        access.caller(req.headers());
        res.send(JSON.createObjectBuilder()
                         .add("connections", hub.connectionCount())
                         .add("users", hub.userCount())
                         .add("messagesIn", stats.messagesIn())
                         .add("messagesOut", stats.messagesOut())
                         .add("uptimeMs", stats.uptimeMs())
                         .add("opened", stats.opened())
                         .add("closed", stats.closed())
                         .add("refused", stats.refusedCount())
                         .add("slowConsumers", stats.slowConsumers())
                         .add("heartbeatTimeouts", stats.heartbeatTimeouts())
                         .add("replayed", stats.replayed())
                         .build());
    }
}
