package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import com.matchbook.realtime.Settings.Timings;
import com.matchbook.realtime.admin.ConnectionInfo;
import com.matchbook.realtime.admin.Listing;
import com.matchbook.realtime.admin.LocalOperator;
import com.matchbook.realtime.admin.NodeReport;
import com.matchbook.realtime.admin.Operator;
import com.matchbook.realtime.protocol.JsonText;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.KeyValue;

/**
 * The console over every node sharing Redis. A question is published as a command ({@code C<json>}) on the channel
 * every node's broker already listens to ({@link RedisKeys#ALL_CHANNEL}); each node answers from its own hub into a
 * short-lived reply list, and the asking node waits for as many answers as {@code PUBLISH} said it reached.
 *
 * <p>Why Redis rather than asking each node over HTTP: the nodes already share Redis and a subscription, while they do
 * not know each other's HTTP addresses (behind a load balancer a node's address may not even be reachable from its
 * peers), and an HTTP fan-out would need service tokens between nodes. Why a question rather than snapshots kept in
 * Redis: the listing is filtered and limited where the connections are, so asking costs nothing while no console is
 * open, and a disconnect reaches the connection at once, on whichever node holds it.
 *
 * <p>A node that does not answer within {@link Timings#CONSOLE_REPLY_WAIT} is left out of that answer; with Redis
 * down, this node answers for itself.
 */
public final class RedisOperator implements Operator {
    private static final System.Logger LOG = System.getLogger(RedisOperator.class.getName());

    private final UnifiedJedis redis;
    private final Supplier<LocalOperator> local;

    /** @param local this node's operator; read when a command comes (it is built after the broker) */
    public RedisOperator(UnifiedJedis redis, Supplier<LocalOperator> local) {
        this.redis = redis;
        this.local = local;
    }

    @Override
    public Listing connections(Optional<String> user, int limit) {
        JsonObjectBuilder q = Json.createObjectBuilder().add("op", "list").add("limit", limit);
        user.ifPresent(u -> q.add("user", u));
        Optional<List<JsonObject>> answers = ask(q.build());
        if (answers.isEmpty()) {
            return local.get().connections(user, limit);
        }
        List<Listing> parts = new ArrayList<>();
        for (JsonObject a : answers.get()) {
            List<ConnectionInfo> conns = a.getJsonArray("connections").getValuesAs(JsonObject.class).stream()
                    .map(ConnectionInfo::fromJson).toList();
            parts.add(new Listing(conns, a.getJsonNumber("total").longValue()));
        }
        return Listing.merge(parts, limit);
    }

    @Override
    public boolean disconnect(String connectionId) {
        return ask(Json.createObjectBuilder().add("op", "disconnect").add("id", connectionId).build())
                .map(answers -> answers.stream().anyMatch(a -> a.getInt("closed") > 0))
                .orElseGet(() -> local.get().disconnect(connectionId));
    }

    @Override
    public int disconnectUser(String userId) {
        return ask(Json.createObjectBuilder().add("op", "disconnect-user").add("user", userId).build())
                .map(answers -> answers.stream().mapToInt(a -> a.getInt("closed")).sum())
                .orElseGet(() -> local.get().disconnectUser(userId));
    }

    @Override
    public List<NodeReport> nodes(long afterSecond) {
        return ask(Json.createObjectBuilder().add("op", "series").add("after", afterSecond).build())
                .map(answers -> answers.stream().map(a -> NodeReport.fromJson(a.getJsonObject("report")))
                        .sorted(Comparator.comparing(NodeReport::node)).toList())
                .orElseGet(() -> local.get().nodes(afterSecond));
    }

    /**
     * A command from some node's console (the broker's subscriber hands it over): answered on its own virtual thread,
     * so the subscription keeps delivering messages meanwhile.
     */
    public void answer(String command) {
        Thread.ofVirtual().name("matchbook-admin-answer").start(() -> {
            try {
                JsonObject q = JsonText.parse(command).asJsonObject();
                LocalOperator here = local.get();
                if (here == null) {
                    return;   // still starting: the asker counts this node as not answering
                }
                JsonObject a = switch (q.getString("op")) {
                    case "list" -> listing(here.connections(Optional.ofNullable(q.getString("user", null)),
                                                            q.getInt("limit")));
                    case "disconnect" -> closed(here.disconnect(q.getString("id")) ? 1 : 0);
                    case "disconnect-user" -> closed(here.disconnectUser(q.getString("user")));
                    case "series" -> Json.createObjectBuilder()
                            .add("report", here.report(q.getJsonNumber("after").longValue()).toJson()).build();
                    default -> Json.createObjectBuilder().add("error", "unknown op").build();
                };
                String key = q.getString("reply");
                redis.rpush(key, a.toString());
                redis.pexpire(key, Timings.CONSOLE_REPLY_KEPT.toMillis());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=admin-command-failed error=" + e);
            }
        });
    }

    /** Publishes a command and collects every node's answer; empty when Redis is unreachable. */
    private Optional<List<JsonObject>> ask(JsonObject question) {
        String reply = RedisKeys.adminReply(UUID.randomUUID().toString());
        JsonObject command = Json.createObjectBuilder(question).add("reply", reply).build();
        try {
            long nodes = expectedAnswers(redis.publish(RedisKeys.ALL_CHANNEL, "C" + command));
            List<JsonObject> answers = new ArrayList<>();
            long deadline = System.nanoTime() + Timings.CONSOLE_REPLY_WAIT.toNanos();
            while (answers.size() < nodes) {
                double leftSeconds = (deadline - System.nanoTime()) / 1e9;
                if (leftSeconds <= 0) {
                    LOG.log(Level.INFO, "event=admin-nodes-silent asked=" + nodes + " answered=" + answers.size());
                    break;
                }
                KeyValue<String, String> next = redis.blpop(Math.max(0.01, leftSeconds), reply);
                if (next != null) {
                    answers.add(JsonText.parse(next.getValue()).asJsonObject());
                }
            }
            redis.del(reply);
            return Optional.of(answers);
        } catch (JedisException e) {
            LOG.log(Level.WARNING, "event=admin-redis-down answering-for=this-node error=" + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * How many nodes should answer. PUBLISH counts the subscribers it reached, but in Redis Cluster only those
     * connected to the shard that took the PUBLISH (the rest get it over the cluster bus, uncounted); there the
     * nodes with a live heartbeat are counted instead.
     */
    private long expectedAnswers(long reached) {
        if (!(redis instanceof RedisClusterClient)) {
            return reached;
        }
        long alive = redis.hkeys(RedisKeys.STATS).stream().filter(n -> redis.exists(RedisKeys.alive(n))).count();
        return Math.max(reached, alive);
    }

    private static JsonObject closed(int n) {
        return Json.createObjectBuilder().add("closed", n).build();
    }

    private static JsonObject listing(Listing l) {
        Instant now = Instant.now();
        JsonArrayBuilder conns = Json.createArrayBuilder();
        l.connections().forEach(c -> conns.add(c.toJson(now)));
        return Json.createObjectBuilder().add("connections", conns).add("total", l.total()).build();
    }

}
