package com.matchbook.realtime.conversations;

import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.TestSocket;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/protocol.md "Conversations", "Idempotent sends", "Edit and delete" and "Blocking" (1.1) as two people see them over
 * the socket and HTTP, run once per embedded store.
 */
abstract class ConversationsContract {
    protected RunningServer server;

    /** The store's settings ({@code matchbook.store} and what it needs). */
    abstract Map<String, String> storeSettings();

    RunningServer start(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(storeSettings());
        all.putAll(more);
        server = RunningServer.start(all);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- Conversations -------------------------------------------------------------------------------------------

    @Test
    void everyDeviceOfBothPeopleGetsTheMessageAndOnlyTheRecipientsConfirmationsMakeReceipts() {
        start(Map.of());
        try (TestSocket aliceTab1 = TestSocket.welcomed(server.ws("?id=alice"));
             TestSocket aliceTab2 = TestSocket.welcomed(server.ws("?id=alice"));
             TestSocket bob = TestSocket.welcomed(server.ws("?id=bob"))) {
            aliceTab1.send("{\"type\":\"send\",\"ref\":1,\"to\":\"bob\",\"text\":\"hi bob\"}");
            JsonObject ack = aliceTab1.next("ack");
            JsonObject atBob = bob.next("message");
            assertEquals(ack.getString("id"), atBob.getString("id"));
            assertEquals(ack.getInt("seq"), atBob.getInt("seq"), "the ack carries the recipient's seq");
            for (TestSocket tab : List.of(aliceTab1, aliceTab2)) {
                JsonObject own = tab.next("message");
                assertEquals(ack.getString("id"), own.getString("id"), "the sending connection gets it too");
                assertEquals("alice", own.getString("from"));
                assertEquals("bob", own.getString("to"));
                assertEquals(1, own.getInt("seq"), "alice's own stream seq");
                assertEquals("hi bob", own.getString("text"));
            }
            // Alice confirms and reads her own copy: no receipt may reach bob. Her typing after it is the marker
            // that everything before it was handled.
            aliceTab1.send("{\"type\":\"received\",\"seq\":1}");
            aliceTab1.send("{\"type\":\"read\",\"id\":\"" + ack.getString("id") + "\"}");
            aliceTab1.send("{\"type\":\"typing\",\"to\":\"bob\",\"state\":\"start\"}");
            bob.next("typing");
            assertTrue(bob.drain().stream().noneMatch(f -> f.type().equals("receipt")),
                       "a copy never produces receipts");
            bob.send("{\"type\":\"received\",\"seq\":" + atBob.getInt("seq") + "}");
            bob.send("{\"type\":\"read\",\"id\":\"" + atBob.getString("id") + "\"}");
            assertEquals("delivered", aliceTab2.next("receipt").getString("status"));
            assertEquals("read", aliceTab2.next("receipt").getString("status"));
        }
    }

    @Test
    void aReloadedPageGetsTheWholeConversationBackAndTheListCountsUnread() {
        start(Map.of());
        send("carl", "dora", "c1", null);
        send("dora", "carl", "d1", null);
        String c2 = send("carl", "dora", "c2", null).getString("id");
        send("carl", "dora", "c3", null);
        send("eddy", "dora", "e1", null);
        JsonObject list = Http.get(server.http("/api/users/dora/conversations")).json();
        JsonArray conversations = list.getJsonArray("conversations");
        assertEquals(2, conversations.size());
        assertEquals("eddy", conversations.getJsonObject(0).getString("with"), "most recent activity first");
        JsonObject carl = conversations.getJsonObject(1);
        assertEquals("carl", carl.getString("with"));
        assertEquals("c3", carl.getJsonObject("last").getString("text"));
        assertEquals(3, carl.getInt("unread"));
        assertFalse(carl.getBoolean("blocked"));
        try (TestSocket dora = TestSocket.welcomed(server.ws("?id=dora"))) {
            dora.send("{\"type\":\"read\",\"id\":\"" + c2 + "\"}");
            dora.send("{\"type\":\"ping\"}");
            dora.next("pong");
        }
        JsonObject after = Http.get(server.http("/api/users/dora/conversations?limit=5")).json();
        assertEquals(1, after.getJsonArray("conversations").getJsonObject(1).getInt("unread"),
                     "read is cumulative: c1 and c2 are read, c3 is not");

        JsonObject page = Http.get(server.http("/api/users/dora/conversations/carl/messages?limit=2")).json();
        assertEquals(List.of("c2", "c3"), texts(page.getJsonArray("messages")));
        assertTrue(page.getBoolean("more"));
        long oldest = page.getJsonArray("messages").getJsonObject(0).getJsonNumber("seq").longValue();
        JsonObject older = Http.get(server.http("/api/users/dora/conversations/carl/messages?before=" + oldest))
                .json();
        assertEquals(List.of("c1", "d1"), texts(older.getJsonArray("messages")), "both people's messages");
        assertFalse(older.getBoolean("more"));
        JsonObject carlSide = Http.get(server.http("/api/users/carl/conversations/dora/messages")).json();
        assertEquals(List.of("c1", "d1", "c2", "c3"), texts(carlSide.getJsonArray("messages")),
                     "the sender's own messages come back on reload");

        assertEquals(400, Http.get(server.http("/api/users/dora/conversations?limit=0")).status());
        assertEquals("invalid_field",
                     Http.get(server.http("/api/users/dora/conversations/carl/messages?before=x")).json()
                             .getString("error"));
        assertEquals(400, Http.get(server.http("/api/users/dora/conversations/no%20one/messages")).status());
    }

    // ---- Idempotent sends ----------------------------------------------------------------------------------------

    @Test
    void aRepeatedKeyOverHttpGetsTheFirstAnswerAndIsDeliveredOnce() {
        start(Map.of());
        try (TestSocket gwen = TestSocket.welcomed(server.ws("?id=gwen"))) {
            JsonObject first = send("fred", "gwen", "once", "key-1");
            JsonObject again = send("fred", "gwen", "once", "key-1");
            assertEquals(first, again, "the same id and seq");
            Http.Reply reused = post("fred", "gwen", "something else", "key-1");
            assertEquals(422, reused.status());
            assertEquals("idempotency_key_reused", reused.json().getString("error"));
            for (String bad : List.of("", "has space", "x".repeat(65), "é")) {
                Http.Reply refused = post("fred", "gwen", "once", bad);
                assertEquals(400, refused.status(), "key '" + bad + "'");
                assertEquals("invalid_field", refused.json().getString("error"));
            }
            send("fred", "gwen", "after", null);
            assertEquals("once", gwen.next("message").getString("text"));
            assertEquals("after", gwen.next("message").getString("text"), "the repeat was not delivered");
            assertEquals(2, history("gwen").size());
        }
    }

    @Test
    void aRepeatedKeyOnTheSocketGetsTheFirstAckAndIsDeliveredOnce() {
        start(Map.of());
        try (TestSocket hal = TestSocket.welcomed(server.ws("?id=hal"));
             TestSocket ida = TestSocket.welcomed(server.ws("?id=ida"))) {
            hal.send("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"ida\",\"text\":\"hello\",\"key\":\"k:1\"}");
            JsonObject first = hal.next("ack");
            hal.send("{\"type\":\"send\",\"ref\":\"b\",\"to\":\"ida\",\"text\":\"hello\",\"key\":\"k:1\"}");
            JsonObject again = hal.next("ack");
            assertEquals("b", again.getString("ref"));
            assertEquals(first.getString("id"), again.getString("id"));
            assertEquals(first.getInt("seq"), again.getInt("seq"));
            hal.send("{\"type\":\"send\",\"ref\":\"c\",\"to\":\"ida\",\"text\":\"changed\",\"key\":\"k:1\"}");
            JsonObject reused = hal.next("error");
            assertEquals("idempotency_key_reused", reused.getString("code"));
            assertEquals("c", reused.getString("ref"));
            hal.send("{\"type\":\"send\",\"ref\":\"d\",\"to\":\"ida\",\"text\":\"x\",\"key\":\"bad key\"}");
            assertEquals("invalid_field", hal.next("error").getString("code"));
            hal.send("{\"type\":\"send\",\"ref\":\"e\",\"to\":\"ida\",\"text\":\"next\"}");
            hal.next("ack");
            assertEquals("hello", ida.next("message").getString("text"));
            assertEquals("next", ida.next("message").getString("text"), "delivered once");
        }
    }

    // ---- Edit and delete -----------------------------------------------------------------------------------------

    @Test
    void aRepeatAfterABlockStillGetsTheFirstAnswerAndANewSendIsRefused() {
        start(Map.of());
        JsonObject first = send("hal", "ida", "before the block", "hal-1");
        assertEquals(204, put("/api/users/ida/blocks/hal").status());
        assertEquals(first, send("hal", "ida", "before the block", "hal-1"),
                     "the client resends what it got no answer for: the first answer, not 'blocked'");
        Http.Reply reused = post("hal", "ida", "other content", "hal-1");
        assertEquals(422, reused.status(), "the key's content rule still holds");
        for (String key : Arrays.asList("hal-2", null)) {
            Http.Reply refused = post("hal", "ida", "after the block", key);
            assertEquals(403, refused.status(), refused.body());
            assertEquals("blocked", refused.json().getString("error"));
        }
        assertEquals(List.of("before the block"), texts(history("ida")), "stored once, nothing after the block");
    }

    @Test
    void anEditReachesEveryDeviceAsAnUpdateAndHistoryShowsTheLatestVersion() {
        start(Map.of());
        try (TestSocket jon = TestSocket.welcomed(server.ws("?id=jon"));
             TestSocket kim = TestSocket.welcomed(server.ws("?id=kim"))) {
            jon.send("{\"type\":\"send\",\"ref\":1,\"to\":\"kim\",\"text\":\"teh\"}");
            String id = jon.next("ack").getString("id");
            kim.next("message");
            jon.send("{\"type\":\"edit\",\"ref\":2,\"id\":\"" + id + "\",\"text\":\"the\"}");
            JsonObject ack = jon.next("ack");
            assertEquals(2, ack.getInt("ref"));
            assertEquals(id, ack.getString("id"));
            for (TestSocket s : List.of(jon, kim)) {
                JsonObject update = s.next("update");
                assertEquals(id, update.getString("id"));
                assertEquals("edit", update.getString("action"));
                assertEquals("the", update.getString("text"));
                assertEquals("jon", update.getString("from"));
                assertEquals("kim", update.getString("to"));
                assertEquals(2, update.getInt("seq"), "an update has its own seq in each stream");
                assertTrue(update.getString("at").endsWith("Z"));
            }
            kim.send("{\"type\":\"edit\",\"ref\":3,\"id\":\"" + id + "\",\"text\":\"mine now\"}");
            JsonObject notHers = kim.next("error");
            assertEquals("not_found", notHers.getString("code"));
            assertEquals(3, notHers.getInt("ref"));
            jon.send("{\"type\":\"edit\",\"ref\":4,\"id\":\"" + id + "\"}");
            assertEquals("missing_field", jon.next("error").getString("code"));
        }
        JsonObject inHistory = history("kim").getJsonObject(0);
        assertEquals("the", inHistory.getString("text"));
        assertTrue(inHistory.getBoolean("edited"));
        assertTrue(inHistory.getString("editedAt").endsWith("Z"));
        assertEquals("update", history("kim").getJsonObject(1).getString("type"));
        try (TestSocket kimAgain = TestSocket.welcomed(server.ws("?id=kim&since=0"))) {
            JsonObject replayed = kimAgain.next("message");
            assertEquals("the", replayed.getString("text"), "replay gives the latest version");
            assertTrue(replayed.getBoolean("edited"));
            assertEquals("edit", kimAgain.next("update").getString("action"), "and the update itself");
        }
    }

    @Test
    void editAndDeleteOverHttpFollowTheAuthorRules() {
        start(Map.of());
        String id = send("lea", "max", "draft", null).getString("id");
        Http.Reply edited = patch("/api/users/lea/messages/" + id, "{\"text\":\"final\",\"data\":{\"v\":2}}");
        assertEquals(200, edited.status());
        assertEquals("final", edited.json().getString("text"));
        assertEquals(2, edited.json().getJsonObject("data").getInt("v"));
        assertTrue(edited.json().getBoolean("edited"));
        assertEquals("lea", edited.json().getString("from"));

        Http.Reply notAuthor = patch("/api/users/max/messages/" + id, "{\"text\":\"x\"}");
        assertEquals(404, notAuthor.status());
        assertEquals("not_found", notAuthor.json().getString("error"));
        assertEquals(404, delete("/api/users/max/messages/" + id).status());
        assertEquals(404, delete("/api/users/lea/messages/NO-SUCH-MESSAGE").status());
        assertEquals(400, patch("/api/users/lea/messages/" + id, "{}").status());
        assertEquals(400, patch("/api/users/lea/messages/" + id, "not json").status());

        assertEquals(204, delete("/api/users/lea/messages/" + id).status());
        assertEquals(204, delete("/api/users/lea/messages/" + id).status(), "already deleted: still 204");
        Http.Reply editDeleted = patch("/api/users/lea/messages/" + id, "{\"text\":\"back\"}");
        assertEquals(404, editDeleted.status());
        for (String user : List.of("lea", "max")) {
            JsonArray h = history(user);
            JsonObject gone = h.getJsonObject(0);
            assertTrue(gone.getBoolean("deleted"), user);
            assertFalse(gone.containsKey("text"), user + ": no text");
            assertFalse(gone.containsKey("data"), user + ": no data");
            assertEquals(List.of("message", "update", "update"),
                         h.stream().map(v -> v.asJsonObject().getString("type")).toList(),
                         user + ": one update per change, none for the second delete");
            assertFalse(h.getJsonObject(1).containsKey("text"), user + ": the edit's text is gone too");
            JsonObject inList = Http.get(server.http("/api/users/" + user + "/conversations")).json()
                    .getJsonArray("conversations").getJsonObject(0).getJsonObject("last");
            assertTrue(inList.getBoolean("deleted"));
        }
    }

    @Test
    void anEditAfterTheWindowIsRefused() {
        start(Map.of("matchbook.edit-window", "PT0S"));
        String id = send("ned", "ola", "too late", null).getString("id");
        Http.Reply late = patch("/api/users/ned/messages/" + id, "{\"text\":\"fixed\"}");
        assertEquals(403, late.status());
        assertEquals("edit_window_closed", late.json().getString("error"));
        assertEquals(204, delete("/api/users/ned/messages/" + id).status(), "a delete is always allowed");
    }

    // ---- Blocking ------------------------------------------------------------------------------------------------

    @Test
    void whileEitherBlocksTheOtherNothingPassesBetweenThemAndHistoryStays() {
        start(Map.of());
        String early = send("pam", "quin", "before the block", null).getString("id");
        assertEquals(204, put("/api/users/quin/blocks/pam").status());
        assertEquals(204, put("/api/users/quin/blocks/pam").status());
        assertEquals(List.of("pam"), Http.get(server.http("/api/users/quin/blocks")).json().getJsonArray("blocked")
                .getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        try (TestSocket pam = TestSocket.welcomed(server.ws("?id=pam"));
             TestSocket quin = TestSocket.welcomed(server.ws("?id=quin"))) {
            Http.Reply refused = post("pam", "quin", "let me explain", null);
            assertEquals(403, refused.status());
            assertEquals("blocked", refused.json().getString("error"));
            pam.send("{\"type\":\"send\",\"ref\":\"s\",\"to\":\"quin\",\"text\":\"please\"}");
            assertEquals("blocked", pam.next("error").getString("code"));
            quin.send("{\"type\":\"send\",\"ref\":\"t\",\"to\":\"pam\",\"text\":\"no\"}");
            assertEquals("blocked", quin.next("error").getString("code"), "either direction");
            pam.send("{\"type\":\"edit\",\"ref\":\"u\",\"id\":\"" + early + "\",\"text\":\"edited\"}");
            assertEquals("blocked", pam.next("error").getString("code"));
            pam.send("{\"type\":\"typing\",\"to\":\"quin\",\"state\":\"start\"}");
            quin.send("{\"type\":\"received\",\"seq\":1}");
            quin.send("{\"type\":\"read\",\"id\":\"" + early + "\"}");
            // What rode behind the dropped frames on the same connections:
            String fromRex = send("rex", "quin", "from someone else", null).getString("id");
            quin.next(f -> f.type().equals("message") && f.json().getString("id").equals(fromRex));
            quin.send("{\"type\":\"ping\"}");
            quin.next("pong");
            pam.send("{\"type\":\"ping\"}");
            pam.next("pong");
            // Each replayed the one message from before the block; nothing else may have passed.
            List<TestSocket.Frame> atQuin = quin.drain();
            assertTrue(atQuin.stream().noneMatch(f -> f.type().equals("typing") || f.type().equals("update")
                    || f.type().equals("message") && !f.json().getString("id").equals(early)),
                       "no typing, edit or new message from pam: " + atQuin);
            List<TestSocket.Frame> atPam = pam.drain();
            assertTrue(atPam.stream().noneMatch(f -> f.type().equals("receipt") || f.type().equals("message")
                    && !f.json().getString("id").equals(early)), "no receipt and no message from quin: " + atPam);
        }
        JsonArray quinHistory = history("quin");
        assertEquals("before the block", quinHistory.getJsonObject(0).getString("text"), "history stays");
        assertEquals(2, quinHistory.size(), "nothing refused was stored");
        JsonObject pamInList = Http.get(server.http("/api/users/quin/conversations")).json()
                .getJsonArray("conversations").getJsonObject(1);
        assertEquals("pam", pamInList.getString("with"));
        assertTrue(pamInList.getBoolean("blocked"));
        assertFalse(Http.get(server.http("/api/users/pam/conversations")).json().getJsonArray("conversations")
                            .getJsonObject(0).getBoolean("blocked"), "pam is not told that quin blocks her");

        assertEquals(204, delete("/api/users/quin/blocks/pam").status());
        assertEquals(204, delete("/api/users/quin/blocks/pam").status());
        assertEquals(202, post("pam", "quin", "hello again", null).status());
        assertEquals(0, Http.get(server.http("/api/users/quin/blocks")).json().getJsonArray("blocked").size());
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    protected JsonObject send(String from, String to, String text, String key) {
        Http.Reply r = post(from, to, text, key);
        assertEquals(202, r.status(), r.body());
        return r.json();
    }

    protected Http.Reply post(String from, String to, String text, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/send-message"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"" + from + "\",\"to\":\"" + to
                                                                  + "\",\"text\":\"" + text + "\"}"));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return Http.send(b);
    }

    protected JsonArray history(String user) {
        return Http.get(server.http("/api/users/" + user + "/messages")).json().getJsonArray("messages");
    }

    private Http.Reply patch(String path, String body) {
        return Http.send(HttpRequest.newBuilder(server.http(path)).header("Content-Type", "application/json")
                                 .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private Http.Reply delete(String path) {
        return Http.send(HttpRequest.newBuilder(server.http(path)).DELETE());
    }

    private Http.Reply put(String path) {
        return Http.send(HttpRequest.newBuilder(server.http(path)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    protected static List<String> texts(JsonArray messages) {
        return messages.stream().map(JsonValue::asJsonObject).map(m -> m.getString("text", "(none)")).toList();
    }

}
