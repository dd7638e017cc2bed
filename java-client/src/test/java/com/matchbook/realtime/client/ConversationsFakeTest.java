package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.helidon.http.Status;

import com.matchbook.realtime.protocol.CloseCodes;
import com.matchbook.realtime.protocol.JsonFields;
import com.matchbook.realtime.protocol.JsonText;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jakarta.json.JsonObject;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Idempotent sends, updates and the 1.1 error codes against a scripted server, for what the real one cannot be made to
 * do on demand: store a send and drop the connection before its ack. The user is {@code bob}.
 */
class ConversationsFakeTest {
    /** docs/protocol.md 1.1 "Idempotent sends". */
    private static final String KEY_RULE = "[A-Za-z0-9._:-]{1,64}";

    private final BobAgainstFake setup = new BobAgainstFake();
    private final Recorder bob = setup.bob;
    private final List<Update> updates = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        setup.close();
    }

    @Test
    void anUnackedSendIsResentWithTheSameKeyAfterADropAndShownOnce() throws Exception {
        // Socket 1 stores the send (its sender copy goes out as seq 1) and dies before the ack; socket 2 replays
        // seq 1 again (as a server that ignored since might) and answers the resend as a repeat: the first id.
        FakeServer fake = setup.fake(FakeServer.sockets(
                (n, s) -> s.send(FakeServer.welcome(n, 10_000, n - 1, n, n - 1, true), true)));
        fake.onFrame((n, s, text) -> {
            JsonObject f = JsonText.parseObject(text).orElseThrow();
            if (!"send".equals(JsonFields.string(f, "type", ""))) {
                return;
            }
            String copy = copy(1, "stored-1", JsonFields.string(f, "text", ""));
            if (n == 1) {
                s.send(copy, true);
                s.close(CloseCodes.INTERNAL_ERROR, "crashed");
            } else {
                s.send(copy, true);
                s.send("{\"type\":\"ack\",\"ref\":\"" + JsonFields.ref(f).orElseThrow()
                               + "\",\"id\":\"stored-1\",\"seq\":7}", true);
            }
        });
        MatchbookClient c = setup.client(fake, b -> { });
        c.connect();
        bob.awaitState(c, ConnectionState.OPEN);

        Ack ack = c.send("alice", "only once").get(15, TimeUnit.SECONDS);

        assertThat(ack, is(new Ack("stored-1", 7)));
        List<JsonObject> sends = sends(fake);
        assertThat(sends.size(), is(2));
        assertThat(JsonFields.string(sends.get(0), "key", "").matches(KEY_RULE), is(true));
        assertThat(JsonFields.string(sends.get(1), "key", ""), is(JsonFields.string(sends.get(0), "key", "")));
        assertThat(JsonFields.ref(sends.get(1)), is(JsonFields.ref(sends.get(0))));
        assertThat(fake.queries.getLast().contains("since=1"), is(true));
        bob.awaitMessages(1);
        assertThat(bob.messages().stream().map(Message::id).toList(), contains("stored-1"));
        assertThat(bob.messages().getFirst().from(), is("bob"));
    }

    @Test
    void everySendCarriesItsOwnKey() {
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> s.send(FakeServer.welcome(n, 10_000), true)));
        MatchbookClient c = setup.client(fake, b -> { });
        c.connect();
        c.send("alice", "one");
        c.send("alice", "two");
        c.sendFile("alice", "a.txt", "text/plain", new byte[] {1});

        bob.await("two sends", () -> sends(fake).size() == 2);
        List<JsonObject> sends = sends(fake);
        assertThat(JsonFields.string(sends.get(0), "key", "").equals(JsonFields.string(sends.get(1), "key", "")),
                   is(false));
    }

    @Test
    void sendsMadeWhileTheServerIsDownWaitForItInsteadOfFailing() throws Exception {
        // Down for twice the send timeout, measured on the clock: the send outlives its timeout while it waits, and
        // once written has the whole timeout for a round trip, however slowly a loaded machine answers.
        Duration sendTimeout = Duration.ofSeconds(2);
        long upAt = System.nanoTime() + sendTimeout.multipliedBy(2).toNanos();
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> {
            if (System.nanoTime() - upAt < 0) {
                s.close(CloseCodes.INTERNAL_ERROR, "crashed");
            } else {
                s.send(FakeServer.welcome(n, 10_000), true);
            }
        }));
        fake.onFrame((n, s, text) -> JsonText.parseObject(text).flatMap(JsonFields::ref).ifPresent(
                ref -> s.send("{\"type\":\"ack\",\"ref\":\"" + ref + "\",\"id\":\"m-" + n + "\",\"seq\":1}", true)));
        MatchbookClient c = setup.client(fake, b -> b.sendTimeout(sendTimeout));
        CompletableFuture<Ack> sent = c.send("alice", "queued");
        c.connect();

        Ack ack = sent.get(15, TimeUnit.SECONDS);
        assertThat(fake.socketsOpened() > 1, is(true));
        assertThat(ack.id(), is("m-" + fake.socketsOpened()));
        assertThat(sends(fake).size(), is(1));
    }

    @Test
    void refusalsCarryTheContractsErrorCodes() {
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> s.send(FakeServer.welcome(n, 10_000), true)));
        fake.onFrame((n, s, text) -> {
            JsonObject f = JsonText.parseObject(text).orElseThrow();
            String code = switch (JsonFields.string(f, "type", "")) {
                case "send" -> "idempotency_key_reused";
                case "edit" -> "edit_window_closed";
                case "delete" -> "not_found";
                default -> "";
            };
            if (!code.isEmpty()) {
                s.send("{\"type\":\"error\",\"code\":\"" + code + "\",\"message\":\"refused\",\"ref\":\""
                               + JsonFields.ref(f).orElseThrow() + "\"}", true);
            }
        });
        MatchbookClient c = setup.client(fake, b -> { });
        c.connect();

        assertThat(failure(c.send("alice", "hi")).code(), is(SendException.IDEMPOTENCY_KEY_REUSED));
        assertThat(failure(c.edit("m1", "new")).code(), is(SendException.EDIT_WINDOW_CLOSED));
        assertThat(failure(c.delete("m1")).code(), is(SendException.NOT_FOUND));
        assertThat(bob.errors().isEmpty(), is(true));
        List<JsonObject> frames = fake.framesIn.stream().map(t -> JsonText.parseObject(t).orElseThrow())
                .filter(f -> !JsonFields.string(f, "type", "").equals("received")).toList();
        assertThat(JsonFields.string(frames.get(1), "text", ""), is("new"));
        assertThat(JsonFields.string(frames.get(1), "id", ""), is("m1"));
        assertThat(JsonFields.string(frames.get(2), "type", ""), is("delete"));
    }

    @Test
    void httpRefusalsCarryTheServersCodeAndStatus() {
        FakeServer fake = setup.fake(new FakeServer(Optional.empty(), r -> r
                .put("/api/users/bob/blocks/alice", (req, res) -> res.status(Status.FORBIDDEN_403)
                        .send("{\"error\":\"forbidden\",\"message\":\"not yours\"}"))
                .get("/api/users/bob/blocks", (req, res) -> res.status(Status.INTERNAL_SERVER_ERROR_500)
                        .send("oops"))));
        MatchbookClient c = setup.client(fake, b -> { });

        ApiException blocked = apiFailure(c.block("alice"));
        assertThat(blocked.code(), is("forbidden"));
        assertThat(blocked.status(), is(403));
        assertThat(apiFailure(c.blocked()).code(), is("http_500"));
        assertThrows(IllegalArgumentException.class, () -> c.history("alice", 0L, 50));
    }

    @Test
    void updatesKeepTheStreamContiguousAndChangeTheHeldMessageInPlace() throws Exception {
        FakeServer fake = setup.fake(new FakeServer(
                Optional.of((n, s) -> {
                    s.send(FakeServer.welcome(n, 10_000), true);
                    s.send(incoming(1, "m1", "first"), true);
                    s.send(copy(2, "m2", "second"), true);
                }),
                r -> r.get("/api/users/bob/conversations/alice/messages", (req, res) -> res.send(
                        "{\"messages\":[" + incoming(1, "m1", "first") + "," + copy(2, "m2", "second")
                                + "],\"more\":false}"))));
        MatchbookClient c = setup.client(fake, b -> b.onUpdate(u -> bob.add(updates, u)));
        ConversationView view = c.conversation("alice");
        List<String> changes = new ArrayList<>();
        view.onChange(() -> bob.add(changes, "changed"));
        c.connect();
        bob.awaitMessages(2);

        ConversationPage page = view.loadOlder(50).get(15, TimeUnit.SECONDS);
        assertThat(page.more(), is(false));
        assertThat(view.messages().stream().map(Message::id).toList(), contains("m1", "m2"));

        fake.sessions.getFirst().send(update(3, "m1", "edit", "\"text\":\"first, fixed\","), true);
        fake.sessions.getFirst().send(update(4, "m2", "delete", ""), true);
        fake.sessions.getFirst().send(incoming(5, "m5", "third"), true);

        // The view listens after the recorder: wait for the view itself.
        bob.await("the view holding m5 and both updates", () -> view.messages().size() == 3 && updates.size() == 2
                && view.messages().get(1).deleted());
        List<Message> held = view.messages();
        assertThat(held.stream().map(Message::id).toList(), contains("m1", "m2", "m5"));
        assertThat(held.get(0).text().orElseThrow(), is("first, fixed"));
        assertThat(held.get(0).edited(), is(true));
        assertThat(held.get(1).deleted(), is(true));
        assertThat(held.get(1).text().isPresent(), is(false));
        assertThat(updates.get(0).action(), is(Update.Action.EDIT));
        assertThat(c.lastSeq().orElseThrow(), is(5L));
        assertThat(bob.errors().isEmpty(), is(true));
        // seq 3 and 4 were updates, not a gap: no resync over HTTP.
        assertThat(fake.requests.stream().anyMatch(p -> p.endsWith("/messages") && !p.contains("conversations")),
                   is(false));
    }

    private static String copy(long seq, String id, String text) {
        return "{\"type\":\"message\",\"id\":\"" + id + "\",\"seq\":" + seq + ",\"channel\":\"chat\",\"from\":\"bob\","
                + "\"to\":\"alice\",\"text\":\"" + text + "\",\"sentAt\":\"2026-11-30T10:00:00Z\"}";
    }

    private static String incoming(long seq, String id, String text) {
        return "{\"type\":\"message\",\"id\":\"" + id + "\",\"seq\":" + seq + ",\"channel\":\"chat\","
                + "\"from\":\"alice\","
                + "\"to\":\"bob\",\"text\":\"" + text + "\",\"sentAt\":\"2026-11-30T10:00:00Z\"}";
    }

    private static String update(long seq, String id, String action, String content) {
        return "{\"type\":\"update\",\"seq\":" + seq + ",\"id\":\"" + id + "\",\"action\":\"" + action + "\","
                + content + "\"from\":\"alice\",\"to\":\"bob\",\"at\":\"2026-11-30T10:01:00Z\"}";
    }

    private static List<JsonObject> sends(FakeServer fake) {
        return fake.framesIn.stream().map(t -> JsonText.parseObject(t).orElseThrow())
                .filter(f -> "send".equals(JsonFields.string(f, "type", ""))).toList();
    }

    private static SendException failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(15, TimeUnit.SECONDS));
        assertThat(e.getCause(), instanceOf(SendException.class));
        return (SendException) e.getCause();
    }

    private static ApiException apiFailure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(15, TimeUnit.SECONDS));
        assertThat(e.getCause(), instanceOf(ApiException.class));
        return (ApiException) e.getCause();
    }
}
