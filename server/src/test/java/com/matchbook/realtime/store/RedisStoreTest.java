package com.matchbook.realtime.store;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;
import com.matchbook.realtime.redis.RedisClients;
import com.matchbook.realtime.redis.RedisTap;
import com.matchbook.realtime.support.RedisServer;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store contract against a real Redis, plus what only several nodes sharing it show: an idempotency key holding
 * across nodes, a sender's copy reaching every node of the sender, deletes and trims that leave nothing behind in
 * Redis itself. Announcements are what a node's subscription receives ({@link RedisTap}).
 */
class RedisStoreTest extends MessageStoreContract {
    private static RedisServer server;
    private static RedisClient admin;

    @BeforeAll
    static void startRedis() throws Exception {
        server = new RedisServer().start();
        admin = RedisClients.create(URI.create(server.uri()));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        admin.close();
        server.close();
    }

    @Override
    MessageStore open() {
        admin.flushAll();
        return tapped("node-a", announced::add);
    }

    // ---- several nodes ----------------------------------------------------------------------------------------

    @Test
    void aRetryOnAnotherNodeWithTheSameKeyStoresNothingTwice() {
        store = open();
        List<Message> onB = Collections.synchronizedList(new ArrayList<>());
        try (TappedRedisStore nodeB = tapped("node-b", onB::add)) {
            nodeB.tap.hold("ana");
            nodeB.tap.hold("ben");
            Draft draft = new Draft("ana", "ben", "chat", "only once", null, null);
            MessageStore.SendKey key = new MessageStore.SendKey("retry-1", draft.fingerprint());
            MessageStore.Accepted first = store.append(draft, "id-on-a", Instant.now(), 0, Optional.of(key)).join();
            MessageStore.Accepted retry = nodeB.append(draft, "id-on-b", Instant.now(), 0, Optional.of(key)).join();
            assertTrue(retry.repeat());
            assertEquals(first.id(), retry.id());
            assertEquals(first.seq(), retry.seq());
            assertEquals(List.of("id-on-a"), ids(nodeB.since("ben", 0, 10).messages()), "ben's stream, read on B");
            assertEquals(List.of("id-on-a"), ids(nodeB.since("ana", 0, 10).messages()), "ana's copy, read on B");
            assertEquals(List.of("id-on-a", "id-on-a"), ids(announced), "node A got each copy once");
            assertEquals(List.of("id-on-a", "id-on-a"), ids(onB), "node B got each copy once, nothing for the retry");
            Draft other = new Draft("ana", "ben", "chat", "something else", null, null);
            assertEquals(StoreRefusal.KEY_REUSED, refusal(nodeB.append(other, "id-3", Instant.now(), 0,
                    Optional.of(new MessageStore.SendKey("retry-1", other.fingerprint())))).code());
        }
    }

    @Test
    void theSendersCopyReachesEveryNodeHoldingTheSender() {
        store = open();
        List<Message> onB = Collections.synchronizedList(new ArrayList<>());
        try (TappedRedisStore nodeB = tapped("node-b", onB::add)) {
            ((TappedRedisStore) store).tap.hold("cleo");
            nodeB.tap.hold("cleo");
            nodeB.tap.hold("dev");
            MessageStore.Accepted sent = store.append(new Draft("cleo", "dev", "chat", "from cleo's laptop", null,
                                                                null), "copy-id", Instant.now(), 0, Optional.empty())
                    .join();
            nodeB.tap.sync();
            for (List<Message> node : List.of(announced, onB)) {
                Message copy = node.stream().filter(m -> m.user().equals("cleo")).findFirst().orElseThrow();
                assertEquals(sent.id(), copy.id());
                assertTrue(copy.ownCopy());
                assertEquals("from cleo's laptop", copy.text().orElseThrow());
                assertEquals(1, copy.seq(), "the sender's own seq");
            }
            assertEquals(List.of("dev", "cleo"), onB.stream().map(Message::user).toList(),
                         "node B holds both: the recipient's copy first, then the sender's");
        }
    }

    // ---- what is kept in Redis ----------------------------------------------------------------------------------

    @Test
    void aDeleteLeavesNoTraceOfTheContentInRedis() {
        store = open();
        byte[] payload = "payload-bytes-to-forget".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MessageStore.Accepted m = store.append(new Draft("eli", "fay", "chat", "words-to-forget",
                                                         JsonText.parse("{\"k\":\"data-to-forget\"}"),
                                                         new Attachment("f.bin", "application/x-test", payload)),
                                               "gone-id", Instant.now(), 0, Optional.empty()).join();
        store.update("eli", m.id(), Update.Action.EDIT, Optional.of("edited-words-to-forget"), Optional.empty(),
                     Instant.now(), EDIT_WINDOW).join();
        store.update("eli", m.id(), Update.Action.DELETE, Optional.empty(), Optional.empty(), Instant.now(),
                     EDIT_WINDOW).join();
        String everything = dump();
        assertTrue(everything.contains("gone-id"), "the dump reads the streams");
        for (String secret : List.of("words-to-forget", "data-to-forget",
                                     java.util.Base64.getEncoder().encodeToString(payload), "f.bin")) {
            assertFalse(everything.contains(secret), secret + " is still in Redis");
        }
    }

    @Test
    void anEditKeepsDataExactlyAsSent() {
        store = open();
        JsonValue data = JsonText.parse("{\"big\":12345678901234567890,\"pi\":3.14159265358979323846,"
                                        + "\"empty\":[],\"none\":{},\"nested\":[{\"z\":null}],"
                                        + "\"s\":\"a/b \\u00e9 \\ud83d\\ude00\"}");
        MessageStore.Accepted m = store.append(new Draft("gia", "hal", "chat", "text", data, null), "data-id",
                                               Instant.now(), 0, Optional.empty()).join();
        Message edited = store.update("gia", m.id(), Update.Action.EDIT, Optional.of("new text \u00e9"),
                                      Optional.empty(), Instant.now(), EDIT_WINDOW).join();
        assertEquals(data, edited.data().orElseThrow());
        assertEquals(data.toString(), store.find("hal", m.id()).orElseThrow().data().orElseThrow().toString());
        assertEquals("new text \u00e9", store.find("hal", m.id()).orElseThrow().text().orElseThrow());
        JsonValue newData = JsonText.parse("[1.0E+2,[],{},-0.0]");
        Message again = store.update("gia", m.id(), Update.Action.EDIT, Optional.empty(), Optional.of(newData),
                                     Instant.now(), EDIT_WINDOW).join();
        assertEquals(newData.toString(), again.data().orElseThrow().toString());
        assertEquals("new text \u00e9", again.text().orElseThrow(), "a field left out keeps its value");
    }

    @Test
    void sendsAndEditsBetweenBlockedPeopleAreRefusedByTheScriptButDeletesAreNot() {
        store = open();
        MessageStore.Accepted before = send("ivo", "jen", "before the block");
        store.block("jen", "ivo").join();
        for (String[] pair : List.of(new String[] {"ivo", "jen"}, new String[] {"jen", "ivo"})) {
            CompletableFuture<MessageStore.Accepted> refused =
                    store.append(new Draft(pair[0], pair[1], "chat", "after", null, null), "x-" + pair[0],
                                 Instant.now(), 0, Optional.empty());
            assertEquals(StoreRefusal.BLOCKED, refusal(refused).code());
        }
        assertEquals(StoreRefusal.BLOCKED, refusal(store.update("ivo", before.id(), Update.Action.EDIT,
                Optional.of("x"), Optional.empty(), Instant.now(), EDIT_WINDOW)).code());
        assertEquals(1, store.since("jen", 0, 10).lastSeq(), "nothing stored for the refusals");
        assertTrue(store.update("ivo", before.id(), Update.Action.DELETE, Optional.empty(), Optional.empty(),
                                Instant.now(), EDIT_WINDOW).join().deleted(), "a delete only takes content away");
        store.unblock("jen", "ivo").join();
        assertEquals(3, send("ivo", "jen", "after the unblock").seq());
    }

    @Test
    void trimmingLeavesTheIndexPointingOnlyAtRetainedMessages() {
        store = open();
        for (int i = 0; i < 4; i++) {
            send("kit", "lia", "k" + i);
        }
        MessageStore.Accepted m = send("kit", "lia", "to be edited");
        store.update("kit", m.id(), Update.Action.EDIT, Optional.of("edited"), Optional.empty(), Instant.now(),
                     EDIT_WINDOW).join();
        send("max", "lia", "m1");
        send("max", "lia", "m2");
        // lia's stream: k0..k3, to-be-edited, edit, m1, m2 = 8 entries; 5 kept (seq 4..8).
        assertEquals(List.of("max", "kit"), store.conversations("lia", 10).stream()
                .map(MessageStore.Conversation::with).toList());
        assertEquals(List.of("k3", "edited"), texts(store.conversation("lia", "kit", Long.MAX_VALUE, 10)));
        assertFalse(store.conversation("lia", "kit", Long.MAX_VALUE, 10).more());
        assertEquals(2, store.conversations("lia", 10).get(1).unread(), "k3 and the edited one are unread");
        for (int i = 0; i < 5; i++) {
            send("max", "lia", "more" + i);
        }
        assertEquals(List.of("max"), store.conversations("lia", 10).stream()
                .map(MessageStore.Conversation::with).toList(), "kit's messages all trimmed");
        assertEquals(List.of(), store.conversation("lia", "kit", Long.MAX_VALUE, 10).messages());
        assertTrue(store.find("lia", m.id()).isEmpty());
        assertEquals(5, store.conversations("lia", 10).getFirst().unread());
        String keys = String.join(",", admin.keys("mb:{lia}:*"));
        assertTrue(keys.contains("conv:max"), keys);
        assertFalse(keys.contains("conv:kit") || keys.contains("in:kit"),
                    "no index left for a conversation trimmed away: " + keys);
        assertEquals(5, admin.hlen("mb:{lia}:ids"), "one id entry per retained message");
        assertEquals(5, admin.zcard("mb:{lia}:times"));
        assertEquals(0, admin.zcard("mb:{lia}:upd"), "the trimmed update entry left the update index");
    }

    @Test
    void theBackgroundTrimVisitsOnlyUsersWithSomethingOld() {
        store = open();
        store.append(new Draft("ned", "oli", "chat", "old", null, null), "old-id",
                     Instant.now().minus(Duration.ofMinutes(30)), 0, Optional.empty()).join();
        send("pam", "quy", "new");
        store.trim(Instant.now().plus(TTL).minus(Duration.ofMinutes(10)));
        assertEquals(List.of(), store.since("oli", 0, 10).messages(), "older than the TTL at that time");
        assertEquals(List.of(), store.conversations("ned", 10));
        assertEquals(1, store.since("quy", 0, 10).messages().size());
        assertEquals(Set.of("pam", "quy"), Set.copyOf(admin.zrange("mb:trim-due", 0, -1)),
                     "users with nothing left leave the trim index");
    }

    private static List<String> texts(MessageStore.Page page) {
        return page.messages().stream().map(m -> m.text().orElse("(none)")).toList();
    }

    private static List<String> ids(List<Message> messages) {
        synchronized (messages) {
            return messages.stream().map(Message::id).toList();
        }
    }

    /** Every value of every key, as text. */
    private static String dump() {
        StringBuilder out = new StringBuilder();
        for (String key : admin.keys("*")) {
            switch (admin.type(key)) {
                case "string" -> out.append(admin.get(key));
                case "zset" -> out.append(admin.zrange(key, 0, -1));
                case "hash" -> out.append(admin.hgetAll(key));
                case "set" -> out.append(admin.smembers(key));
                default -> out.append(admin.type(key));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static TappedRedisStore tapped(String node, Consumer<Message> announced) {
        return new TappedRedisStore(RedisClients.create(URI.create(server.uri())),
                                    new RedisTap(server.uri(), node, announced));
    }
}
