package com.matchbook.realtime.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Receipts, typing and channel handlers between two users on the real server. */
class ReceiptsTest {
    private final List<MatchbookClient> clients = new ArrayList<>();
    private final Recorder alice = new Recorder();
    private final Recorder bob = new Recorder();
    private TestServer server;
    private MatchbookClient a;
    private MatchbookClient b;
    private final List<Message> bobMatches = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start();
        a = open("alice", alice, MatchbookClient.builder());
        b = open("bob", bob, MatchbookClient.builder().on("matches", m -> bob.add(bobMatches, m)));
    }

    @AfterEach
    void stop() {
        clients.forEach(MatchbookClient::close);
        server.close();
    }

    @Test
    void deliveredWhenTheRecipientGotItAndReadWhenMarked() throws Exception {
        Ack ack = a.send("bob", "are you there?").get(10, TimeUnit.SECONDS);

        // Bob's client confirms with "received" once his listener has had the message.
        alice.await("a delivered receipt", () -> !alice.receipts.isEmpty());
        Receipt delivered = alice.receipts().getFirst();
        assertThat(delivered.messageId(), is(ack.id()));
        assertThat(delivered.status(), is(Receipt.Status.DELIVERED));
        assertThat(delivered.by(), is("bob"));

        b.markRead(bob.messages().getFirst().id());

        alice.await("a read receipt", () -> alice.receipts.size() >= 2);
        Receipt read = alice.receipts().get(1);
        assertThat(read.messageId(), is(ack.id()));
        assertThat(read.status(), is(Receipt.Status.READ));
        assertThat(read.by(), is("bob"));
    }

    @Test
    void typingIsRelayed() {
        assertThat(a.typing("bob", TypingState.START), is(true));
        bob.await("typing start", () -> !bob.typing.isEmpty());
        a.typing("bob", TypingState.STOP);
        bob.await("typing stop", () -> bob.typing.size() >= 2);

        assertThat(bob.typing, contains(new Typing("alice", TypingState.START), new Typing("alice", TypingState.STOP)));
    }

    @Test
    void aChannelHandlerGetsOnlyItsChannel() throws Exception {
        a.send("bob", "chat", "small talk").get(10, TimeUnit.SECONDS);
        a.send("bob", "matches", "you have a match").get(10, TimeUnit.SECONDS);
        a.send("bob", "chat", "more small talk").get(10, TimeUnit.SECONDS);

        bob.awaitMessages(3);
        bob.await("the match", () -> !bobMatches.isEmpty());
        assertThat(bob.texts(), contains("small talk", "you have a match", "more small talk"));
        synchronized (bob) {
            assertThat(bobMatches.stream().map(m -> m.text().orElseThrow()).toList(), contains("you have a match"));
        }
    }

    @Test
    void aThrowingListenerBreaksNothing() throws Exception {
        Recorder carol = new Recorder();
        MatchbookClient c = open("carol", carol, MatchbookClient.builder().onMessage(m -> {
            if (m.text().orElse("").equals("boom")) {
                throw new IllegalStateException("a bug in the app's listener");
            }
        }));

        a.send("carol", "boom").get(10, TimeUnit.SECONDS);
        a.send("carol", "after the boom").get(10, TimeUnit.SECONDS);

        carol.awaitMessages(2);
        assertThat(carol.texts(), contains("boom", "after the boom"));
        assertThat(c.state(), is(ConnectionState.OPEN));
        // Both were handled, so both are confirmed: alice hears "delivered" for each.
        alice.await("two delivered receipts", () -> alice.receipts.size() >= 2);
    }

    private MatchbookClient open(String user, Recorder recorder, MatchbookClientBuilder builder) {
        MatchbookClient c = recorder.attach(builder.server(server.uri()).userId(user)).build();
        clients.add(c);
        c.connect();
        recorder.awaitState(c, ConnectionState.OPEN);
        return c;
    }
}
