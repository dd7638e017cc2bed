package com.matchbook.realtime.admin;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.http.ApiException;
import com.matchbook.realtime.http.JsonAnswers;
import com.matchbook.realtime.message.BadInputException;
import com.matchbook.realtime.protocol.UserId;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * The operator console's API under {@code /api/admin} (PROTOCOL.md "Operator console"); every route needs an admin
 * or service token when auth is on (401 without a valid token, 403 with another one).
 *
 * <pre>
 * GET    /connections?user={id}&amp;limit={n}  {"connections": [ConnectionInfo...], "total": N}, across the cluster
 * DELETE /connections/{connectionId}        204; 404 when no node holds it. Closed with 4030
 * DELETE /users/{id}/connections            204; every connection of the user, on every node, closed with 4030
 * GET    /series?after={epochSecond}        {"node", "nodes": [NodeReport...], "cluster": columns}
 * GET    /status                            {"auth", "node", "aggregation"}: what the page needs to say
 * </pre>
 */
public final class AdminService implements HttpService {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Operator operator;
    private final Access access;
    private final String node;
    private final String aggregation;

    /**
     * @param aggregation how the cluster view is put together, shown on the page ("single node", "redis pub/sub")
     */
    public AdminService(Operator operator, Access access, String node, String aggregation) {
        this.operator = operator;
        this.access = access;
        this.node = node;
        this.aggregation = aggregation;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any((req, res) -> {
            access.caller(req.headers()).requireAdmin();
            // Operator data: never kept by a cache between the console and the server.
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.next();
        })
                .get("/connections", this::list)
                .delete("/connections/{connectionId}", this::disconnect)
                .delete("/users/{id}/connections", this::disconnectUser)
                .get("/series", this::series)
                .get("/status", this::status);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Optional<String> user = req.query().first("user").asOptional().filter(u -> !u.isEmpty());
        user.ifPresent(AdminService::requireUserId);
        int limit = (int) number(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Listing listing = operator.connections(user, limit);
        Instant now = Instant.now();
        JsonArrayBuilder conns = Json.createArrayBuilder();
        listing.connections().forEach(c -> conns.add(c.toJson(now)));
        JsonAnswers.send(res, Json.createObjectBuilder().add("connections", conns).add("total", listing.total()).build());
    }

    private void disconnect(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("connectionId");
        if (!operator.disconnect(id)) {
            throw ApiException.notFound("no open connection with id '" + id + "'");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private void disconnectUser(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        requireUserId(id);
        operator.disconnectUser(id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void series(ServerRequest req, ServerResponse res) {
        long after = number(req, "after", 0, 0, Long.MAX_VALUE);
        List<NodeReport> nodes = operator.nodes(after);
        JsonArrayBuilder list = Json.createArrayBuilder();
        nodes.forEach(n -> list.add(n.toJson()));
        JsonObject cluster = SeriesJson.merge(nodes.stream().map(NodeReport::series).toList());
        JsonAnswers.send(res, Json.createObjectBuilder().add("node", node).add("nodes", list).add("cluster", cluster).build());
    }

    private void status(ServerRequest req, ServerResponse res) {
        JsonAnswers.send(res, Json.createObjectBuilder().add("auth", access.enabled()).add("node", node)
                         .add("aggregation", aggregation).build());
    }

    private static void requireUserId(String id) {
        if (!UserId.isValid(id)) {
            throw BadInputException.invalid("user", "is not a valid user id: " + UserId.problem(id));
        }
    }

    private static long number(ServerRequest req, String name, long absent, long min, long max) {
        Optional<String> value = req.query().first(name).asOptional();
        if (value.isEmpty()) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.get());
            if (n < min || n > max) {
                throw BadInputException.invalid(name, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw BadInputException.invalid(name, "must be a whole number");
        }
    }
}
