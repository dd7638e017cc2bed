package com.matchbook.realtime.client;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.isEmptyString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Sending and receiving against the real server, through Helidon's WebSocket client 4.2.0 (the pinned one). */
class MessagingTest {
    private final List<MatchbookClient> clients = new ArrayList<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(MatchbookClient::close);
        server.close();
    }

    @Test
    void sendIsAckedAndTheOtherClientReceivesIt() throws Exception {
        Recorder alice = new Recorder();
        Recorder bob = new Recorder();
        MatchbookClient a = open("alice", alice);
        open("bob", bob);

        Ack ack = a.send("bob", "hello bob").get(10, TimeUnit.SECONDS);

        assertThat(ack.id(), not(isEmptyString()));
        assertThat(ack.seq(), is(1L));
        bob.awaitMessages(1);
        Message m = bob.messages().getFirst();
        assertThat(m.id(), is(ack.id()));
        assertThat(m.seq(), is(OptionalLong.of(1)));
        assertThat(m.from(), is("alice"));
        assertThat(m.to().orElseThrow(), is("bob"));
        assertThat(m.channel(), is("chat"));
        assertThat(m.text().orElseThrow(), is("hello bob"));
        assertThat(m.broadcast(), is(false));
        assertThat(Duration.between(m.sentAt(), Instant.now()).abs().toSeconds() < 60, is(true));
        alice.awaitMessages(1);   // docs/protocol.md "Conversations (1.1)": the sender's own copy, same id
        assertThat(alice.messages().getFirst().id(), is(ack.id()));
        assertThat(alice.messages().getFirst().from(), is("alice"));
    }

    @Test
    void httpSendMessageReachesTheClient() {
        Recorder bob = new Recorder();
        open("bob", bob);

        HttpResponse<String> res = server.post("{\"to\":\"bob\",\"from\":\"shop\",\"text\":\"order shipped\","
                                                       + "\"channel\":\"orders\",\"data\":{\"order\":42}}");

        assertThat(res.statusCode(), is(202));
        bob.awaitMessages(1);
        Message m = bob.messages().getFirst();
        assertThat(m.from(), is("shop"));
        assertThat(m.channel(), is("orders"));
        assertThat(m.text().orElseThrow(), is("order shipped"));
        assertThat(m.data().orElseThrow().asJsonObject().getInt("order"), is(42));
        assertThat(res.body().contains(m.id()), is(true));
    }

    @Test
    void badSendFailsWithTheServersCodeAndTheConnectionStaysOpen() throws Exception {
        Recorder alice = new Recorder();
        MatchbookClient a = open("alice", alice);

        CompletableFuture<Ack> bad = a.send("not a user id!", "hi");

        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause(), instanceOf(SendException.class));
        assertThat(((SendException) e.getCause()).code(), is("invalid_field"));
        assertThat(a.state(), is(ConnectionState.OPEN));
        assertThat(a.send("alice", "still works").get(10, TimeUnit.SECONDS).seq(), is(1L));
        assertThat(alice.states(), is(List.of(ConnectionState.CONNECTING, ConnectionState.OPEN)));
    }

    @Test
    void dataMessagesCarryJson() throws Exception {
        Recorder bob = new Recorder();
        MatchbookClient a = open("alice", new Recorder());
        open("bob", bob);
        JsonObject data = Json.createObjectBuilder().add("kind", "match").add("score", 3).build();

        a.send("bob", "matches", data).get(10, TimeUnit.SECONDS);

        bob.awaitMessages(1);
        Message m = bob.messages().getFirst();
        assertThat(m.channel(), is("matches"));
        assertThat(m.text().isPresent(), is(false));
        assertThat(m.data().orElseThrow(), is(data));
    }

    @Test
    void sendsMadeBeforeConnectingAreFlushedOnOpen() throws Exception {
        Recorder bob = new Recorder();
        open("bob", bob);
        MatchbookClient a = track(MatchbookClient.builder().server(server.uri()).userId("alice").build());

        CompletableFuture<Ack> first = a.send("bob", "one");
        CompletableFuture<Ack> second = a.send("bob", "two");
        assertThat(first.isDone(), is(false));
        a.connect();

        assertThat(first.get(10, TimeUnit.SECONDS).seq(), is(1L));
        assertThat(second.get(10, TimeUnit.SECONDS).seq(), is(2L));
        bob.awaitMessages(2);
        assertThat(bob.texts(), contains("one", "two"));
    }

    @Test
    void filesTravelAsBinaryFrames() throws Exception {
        Recorder bob = new Recorder();
        MatchbookClient a = open("alice", new Recorder());
        open("bob", bob);
        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }

        Ack ack = a.sendFile("bob", "photo.raw", "application/x-raw", bytes).get(10, TimeUnit.SECONDS);

        bob.awaitMessages(1);
        Message m = bob.messages().getFirst();
        assertThat(m.id(), is(ack.id()));
        assertThat(m.from(), is("alice"));
        Attachment file = m.attachment().orElseThrow();
        assertThat(file.name(), is("photo.raw"));
        assertThat(file.contentType(), is("application/x-raw"));
        assertArrayEquals(bytes, file.bytes());
    }

    @Test
    void invalidUserIdIsClosedWith4000AndNotRetried() {
        Recorder r = new Recorder();
        MatchbookClient c = track(r.attach(MatchbookClient.builder().server(server.uri()))
                                          .unvalidatedUserId("not valid!").build());

        c.connect();

        r.await("the error", () -> !r.errors.isEmpty());
        r.awaitState(c, ConnectionState.CLOSED);
        assertThat(r.errors().getFirst().code(), is("4000"));
        assertThat(r.states(), is(List.of(ConnectionState.CONNECTING, ConnectionState.CLOSED)));
        assertThat(c.attempts(), is(1));
    }

    @Test
    void closeIsFinal() throws Exception {
        Recorder r = new Recorder();
        MatchbookClient c = open("alice", r);

        c.close();

        r.awaitState(c, ConnectionState.CLOSED);
        assertThat(c.state(), is(ConnectionState.CLOSED));
        ExecutionException e = assertThrows(ExecutionException.class,
                                            () -> c.send("bob", "late").get(5, TimeUnit.SECONDS));
        assertThat(((SendException) e.getCause()).code(), is(SendException.CLOSED));
        assertThrows(IllegalStateException.class, c::connect);
        assertThat(c.attempts(), is(1));
        r.await("alice unregistered on the server", () -> server.realtime().presence().connections("alice") == 0);
    }

    private MatchbookClient open(String user, Recorder recorder) {
        MatchbookClient c = track(recorder.attach(MatchbookClient.builder().server(server.uri()).userId(user)).build());
        c.connect();
        recorder.awaitState(c, ConnectionState.OPEN);
        return c;
    }

    private MatchbookClient track(MatchbookClient c) {
        clients.add(c);
        return c;
    }
}
