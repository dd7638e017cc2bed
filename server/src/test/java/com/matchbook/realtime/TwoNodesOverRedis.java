package com.matchbook.realtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.ServerProcess;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests two server processes sharing Redis must pass: one conversation, whichever node each side is on. Each
 * concrete class starts its own Redis topology and the two nodes in its own {@code @BeforeAll} ({@link RedisClusterIT}:
 * one Redis; {@link RedisSentinelNodesIT}: through Sentinel). No lifecycle method lives here: when the Sentinel class
 * extended the plain one, JUnit ran the inherited static {@code @BeforeAll} before the subclass's of the same name
 * (hiding it did not stop that), so a second pair of nodes started, the shared fields lost track of them, and they
 * were left running after the build.
 */
abstract class TwoNodesOverRedis {
    @TempDir
    static Path data;
    static ServerProcess nodeA;
    static ServerProcess nodeB;

    private static Http.Reply post(ServerProcess node, String to, String text) {
        return Http.postJson(node.http("/send-message"), "{\"to\":\"" + to + "\",\"text\":\"" + text + "\"}");
    }

    @Test
    void messagePostedToNodeBReachesAUserOnNodeA() {
        try (TestSocket alice = TestSocket.welcomed(nodeA.ws("?id=x-alice"))) {
            Http.Reply r = post(nodeB, "x-alice", "across nodes");
            assertEquals(202, r.status());
            JsonObject m = alice.next("message");
            assertEquals("across nodes", m.getString("text"));
            assertEquals(r.json().getString("id"), m.getString("id"));
            JsonObject presence = Http.get(nodeB.http("/api/users/x-alice/presence")).json();
            assertEquals(1, presence.getInt("connections"), "node B sees the user held by node A");
        }
    }

    @Test
    void aUserWithTabsOnBothNodesGetsEverythingOncePerTab() {
        try (TestSocket onA = TestSocket.welcomed(nodeA.ws("?id=two-tabs"));
             TestSocket onB = TestSocket.welcomed(nodeB.ws("?id=two-tabs"));
             TestSocket sender = TestSocket.welcomed(nodeA.ws("?id=tab-sender"))) {
            sender.send("{\"type\":\"send\",\"ref\":\"1\",\"to\":\"two-tabs\",\"text\":\"one\"}");
            // Order is promised between accepted messages: "two" is posted only once "one" is acked.
            assertEquals("1", sender.next("ack").getString("ref"));
            post(nodeB, "two-tabs", "two");
            for (TestSocket tab : List.of(onA, onB)) {
                assertEquals(List.of("one", "two"), List.of(tab.next("message").getString("text"),
                                                            tab.next("message").getString("text")));
            }
            post(nodeA, "two-tabs", "marker");
            for (TestSocket tab : List.of(onA, onB)) {
                assertEquals("marker", tab.next("message").getString("text"), "no duplicate before the marker");
            }
            assertEquals(2, Http.get(nodeA.http("/api/users/two-tabs/presence")).json().getInt("connections"));
        }
    }

    @Test
    void aSendersCopyReachesHerTabsOnBothNodes() {
        try (TestSocket laptop = TestSocket.welcomed(nodeA.ws("?id=copy-ann"));
             TestSocket phone = TestSocket.welcomed(nodeB.ws("?id=copy-ann"));
             TestSocket bob = TestSocket.welcomed(nodeB.ws("?id=copy-bob"))) {
            laptop.send("{\"type\":\"send\",\"ref\":\"1\",\"to\":\"copy-bob\",\"text\":\"from the laptop\"}");
            JsonObject ack = laptop.next("ack");
            JsonObject atBob = bob.next("message");
            assertEquals(ack.getString("id"), atBob.getString("id"));
            assertEquals(ack.getInt("seq"), atBob.getInt("seq"), "the ack carries the recipient's seq");
            for (TestSocket tab : List.of(laptop, phone)) {
                JsonObject copy = tab.next("message");
                assertEquals(ack.getString("id"), copy.getString("id"), "the same id in the sender's stream");
                assertEquals("from the laptop", copy.getString("text"));
                assertEquals("copy-ann", copy.getString("from"));
                assertEquals("copy-bob", copy.getString("to"));
                assertEquals(1, copy.getInt("seq"), "the sender's own seq");
            }
            JsonObject history = Http.get(nodeB.http("/api/users/copy-ann/messages?since=0")).json();
            assertEquals(1, history.getJsonArray("messages").size(), "one copy in the sender's history");
        }
    }

    @Test
    void aRetryOnTheOtherNodeWithTheSameKeyIsStoredAndDeliveredOnce() {
        try (TestSocket dora = TestSocket.welcomed(nodeB.ws("?id=key-dora"))) {
            Http.Reply first = postWithKey(nodeA, "key-dora", "sent once", "cross-node-1");
            Http.Reply retry = postWithKey(nodeB, "key-dora", "sent once", "cross-node-1");
            assertEquals(202, first.status(), first.body());
            assertEquals(202, retry.status(), retry.body());
            assertEquals(first.json(), retry.json(), "the retry on node B gets node A's answer: same id and seq");
            assertEquals(422, postWithKey(nodeB, "key-dora", "other text", "cross-node-1").status());
            post(nodeA, "key-dora", "marker");
            assertEquals("sent once", dora.next("message").getString("text"));
            assertEquals("marker", dora.next("message").getString("text"), "the retry was not delivered");
            JsonObject history = Http.get(nodeA.http("/api/users/key-dora/messages?since=0")).json();
            assertEquals(2, history.getJsonArray("messages").size(), "stored once");
        }
    }

    private static Http.Reply postWithKey(ServerProcess node, String to, String text, String key) {
        return Http.sendWithKey(node, "key-eve", to, text, key);
    }

    @Test
    void concurrentSendersOnBothNodesKeepSeqsGapFree() throws Exception {
        int perThread = 50;
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        try (TestSocket reader = TestSocket.welcomed(nodeB.ws("?id=hot"))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 8; t++) {
                ServerProcess node = t % 2 == 0 ? nodeA : nodeB;
                int thread = t;
                pool.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        Http.Reply r = post(node, "hot", thread + "-" + i);
                        assertEquals(202, r.status());
                        seqs.add(r.json().getJsonNumber("seq").longValue());
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            int total = 8 * perThread;
            assertEquals(total, new HashSet<>(seqs).size(), "no seq given twice");
            assertEquals(total, Collections.max(seqs));
            for (long expected = 1; expected <= total; expected++) {
                assertEquals(expected, reader.next("message").getJsonNumber("seq").longValue(),
                             "live delivery in seq order, without gap");
            }
        }
    }

    @Test
    void aClientRecoversOnTheOtherNodeAfterADisconnect() {
        try (TestSocket first = TestSocket.welcomed(nodeA.ws("?id=mover"))) {
            post(nodeA, "mover", "m1");
            post(nodeA, "mover", "m2");
            first.next("message");
            first.next("message");
        }
        post(nodeB, "mover", "m3");
        post(nodeA, "mover", "m4");
        try (TestSocket second = TestSocket.welcomed(nodeB.ws("?id=mover&since=2"))) {
            assertEquals("m3", second.next("message").getString("text"));
            assertEquals("m4", second.next("message").getString("text"));
            post(nodeA, "mover", "m5");
            assertEquals(5, second.next("message").getInt("seq"));
        }
    }

    @Test
    void receiptsAndTypingCrossNodes() {
        try (TestSocket alice = TestSocket.welcomed(nodeA.ws("?id=rx-alice"));
             TestSocket bob = TestSocket.welcomed(nodeB.ws("?id=rx-bob"))) {
            alice.send("{\"type\":\"send\",\"ref\":\"r\",\"to\":\"rx-bob\",\"text\":\"hi\"}");
            String id = alice.next("ack").getString("id");
            JsonObject own = alice.next("message");
            assertEquals(id, own.getString("id"), "alice's own copy (docs/protocol.md 1.1, Conversations)");
            assertEquals("rx-alice", own.getString("from"));
            JsonObject m = bob.next("message");
            bob.send("{\"type\":\"received\",\"seq\":" + m.getInt("seq") + "}");
            assertEquals(id, alice.next("receipt").getString("id"));
            bob.send("{\"type\":\"typing\",\"to\":\"rx-alice\",\"state\":\"start\"}");
            assertEquals("rx-bob", alice.next("typing").getString("from"));
            Http.postJson(nodeB.http("/api/broadcast"), "{\"text\":\"everyone\"}");
            assertEquals("everyone", alice.next("message").getString("text"));
            assertEquals("everyone", bob.next("message").getString("text"));
        }
    }

    @Test
    void statsCoverTheWholeCluster() {
        JsonObject stats = Eventually.value("both nodes reported", () -> Http.get(nodeA.http("/api/stats")).json(),
                                            s -> s.containsKey("cluster")
                                                    && s.getJsonObject("cluster").getInt("nodes") == 2);
        assertTrue(stats.containsKey("node"));
        JsonObject store = Http.get(nodeB.http("/health")).json().getJsonArray("checks").getJsonObject(0);
        assertEquals("redis", store.getJsonObject("data").getString("store"), "health names where history lives");
    }

}
