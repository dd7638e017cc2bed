package com.matchbook.realtime;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RedisServer;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Two nodes on one real Redis: the console of either node lists and disconnects connections held by the other. */
class RedisConsoleIT {
    private static RedisServer redis;
    private static RunningServer nodeA;
    private static RunningServer nodeB;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServer().start();
        Map<String, String> cluster = Map.of("matchbook.broker", "redis", "matchbook.redis.uri", redis.uri());
        nodeA = RunningServer.start(cluster);
        nodeB = RunningServer.start(cluster);
    }

    @AfterAll
    static void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        redis.close();
    }

    private static Http.Reply delete(RunningServer node, String path) {
        return Http.send(HttpRequest.newBuilder(node.http(path)).DELETE());
    }

    private static JsonObject list(RunningServer node, String user) {
        Http.Reply r = Http.get(node.http("/api/admin/connections?user=" + user));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void nodeBListsAndClosesAConnectionHeldByNodeA() {
        try (TestSocket alice = TestSocket.welcomed(nodeA.ws("?id=rc-alice"))) {
            JsonObject listed = list(nodeB, "rc-alice");
            assertEquals(1, listed.getInt("total"));
            JsonObject conn = listed.getJsonArray("connections").getJsonObject(0);
            assertEquals(nodeA.app().nodeId(), conn.getString("node"), "listed with the node that holds it");
            assertNotEquals(nodeA.app().nodeId(), nodeB.app().nodeId());

            assertEquals(204, delete(nodeB, "/api/admin/connections/" + conn.getString("connectionId")).status());
            assertEquals(CloseCodes.CLOSED_BY_OPERATOR, alice.awaitClose().code());
            assertEquals(404, delete(nodeB, "/api/admin/connections/" + conn.getString("connectionId")).status());
        }
    }

    @Test
    void aUsersConnectionsOnEveryNodeCloseAtOnce() {
        try (TestSocket onA = TestSocket.welcomed(nodeA.ws("?id=rc-bob"));
             TestSocket onB = TestSocket.welcomed(nodeB.ws("?id=rc-bob"));
             TestSocket other = TestSocket.welcomed(nodeB.ws("?id=rc-carol"))) {
            assertEquals(2, list(nodeA, "rc-bob").getInt("total"));
            assertEquals(204, delete(nodeA, "/api/admin/users/rc-bob/connections").status());
            for (TestSocket tab : List.of(onA, onB)) {
                assertEquals(CloseCodes.CLOSED_BY_OPERATOR, tab.awaitClose().code());
            }
            assertFalse(other.isClosed());
        }
    }

    @Test
    void theSeriesCoverBothNodesAndTheClusterAddsThemUp() {
        try (TestSocket a = TestSocket.welcomed(nodeA.ws("?id=rc-dan")); TestSocket b = TestSocket.welcomed(nodeB.ws("?id=rc-eve"))) {
            JsonObject series = Eventually.value("both nodes with a sample that counts their socket", () -> {
                Http.Reply r = Http.get(nodeA.http("/api/admin/series"));
                assertEquals(200, r.status(), r.body());
                return r.json();
            }, j -> j.getJsonArray("nodes").size() == 2 && lastConnections(j.getJsonObject("cluster")) >= 2);
            List<String> nodes = series.getJsonArray("nodes").getValuesAs(JsonObject.class).stream()
                    .map(n -> n.getString("node")).sorted().toList();
            assertEquals(List.of(nodeA.app().nodeId(), nodeB.app().nodeId()).stream().sorted().toList(), nodes);
        }
    }

    private static long lastConnections(JsonObject cluster) {
        var c = cluster.getJsonArray("connections");
        return c.isEmpty() ? 0 : c.getJsonNumber(c.size() - 1).longValue();
    }
}
