package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** docs/protocol.md 1.1 "Conversations", "Idempotent sends", "Edit and delete", "Blocking", against the real server. */
class ConversationsTest {
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

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
    void ownMessagesComeBackToEveryDeviceOfTheSenderOnce() throws Exception {
        Recorder laptop = new Recorder();
        Recorder phone = new Recorder();
        Recorder bob = new Recorder();
        MatchbookClient a = open("alice", laptop);
        open("alice", phone);
        open("bob", bob);

        Ack ack = a.send("bob", "hi bob").get(15, TimeUnit.SECONDS);
        Ack next = a.send("bob", "still there?").get(15, TimeUnit.SECONDS);

        // Frames arrive in seq order: a doubled first message would show before the second one.
        for (Recorder r : List.of(laptop, phone, bob)) {
            r.awaitMessages(2);
            assertThat(r.messages().stream().map(Message::id).toList(), contains(ack.id(), next.id()));
            assertThat(r.messages().getFirst().from(), is("alice"));
        }
    }

    @Test
    void theConversationListAndHistoryPagesShowBothPeople() throws Exception {
        Recorder aliceSees = new Recorder();
        MatchbookClient a = open("alice", aliceSees);
        MatchbookClient b = open("bob", new Recorder());
        for (int i = 1; i <= 5; i++) {
            a.send("bob", "a" + i).get(15, TimeUnit.SECONDS);
        }
        b.send("alice", "b1").get(15, TimeUnit.SECONDS);
        aliceSees.awaitMessages(6);

        List<ConversationSummary> list = a.conversations().get(15, TimeUnit.SECONDS);
        assertThat(list.size(), is(1));
        assertThat(list.getFirst().with(), is("bob"));
        assertThat(list.getFirst().last().orElseThrow().text().orElseThrow(), is("b1"));
        assertThat(list.getFirst().unread(), is(1L));
        assertThat(b.conversations().get(15, TimeUnit.SECONDS).getFirst().unread(), is(5L));

        ConversationPage newest = a.history("bob", 4).get(15, TimeUnit.SECONDS);
        assertThat(texts(newest.messages()), contains("a3", "a4", "a5", "b1"));
        assertThat(newest.more(), is(true));
        ConversationPage older = a.history("bob", newest.oldestSeq().getAsLong(), 4).get(15, TimeUnit.SECONDS);
        assertThat(texts(older.messages()), contains("a1", "a2"));
        assertThat(older.more(), is(false));

        ConversationView view = a.conversation("bob");
        view.loadOlder(3).get(15, TimeUnit.SECONDS);
        view.loadOlder(3).get(15, TimeUnit.SECONDS);
        assertThat(texts(view.messages()), contains("a1", "a2", "a3", "a4", "a5", "b1"));
        assertThat(view.hasMore(), is(false));
        view.close();
    }

    @Test
    void editsAndDeletesReachBothPeopleAndHistoryShowsTheLatestVersion() throws Exception {
        Recorder aliceSees = new Recorder();
        Recorder bobSees = new Recorder();
        List<Update> bobUpdates = new ArrayList<>();
        MatchbookClient a = open("alice", aliceSees);
        MatchbookClient b = open("bob", bobSees);
        b.onUpdate(u -> bobSees.add(bobUpdates, u));
        ConversationView bobsView = b.conversation("alice");

        Ack first = a.send("bob", "helo").get(15, TimeUnit.SECONDS);
        Ack second = a.send("bob", "oops").get(15, TimeUnit.SECONDS);
        bobSees.awaitMessages(2);
        bobsView.loadOlder(50).get(15, TimeUnit.SECONDS);

        a.edit(first.id(), "hello").get(15, TimeUnit.SECONDS);
        a.delete(second.id()).get(15, TimeUnit.SECONDS);
        bobSees.await("two updates", () -> bobUpdates.size() == 2);
        bobSees.await("bob's view changed", () -> bobsView.messages().get(1).deleted());

        List<Message> held = bobsView.messages();
        assertThat(held.get(0).text().orElseThrow(), is("hello"));
        assertThat(held.get(0).edited(), is(true));
        assertThat(held.get(1).text().isPresent(), is(false));
        List<Message> page = b.history("alice", 50).get(15, TimeUnit.SECONDS).messages();
        assertThat(page.get(0).text().orElseThrow(), is("hello"));
        assertThat(page.get(0).edited(), is(true));
        assertThat(page.get(1).deleted(), is(true));
        assertThat(page.get(1).text().isPresent(), is(false));

        assertThat(sendFailure(b.edit(first.id(), "not mine")).code(), is(SendException.NOT_FOUND));
        assertThat(sendFailure(a.edit("no-such-id", "x")).code(), is(SendException.NOT_FOUND));
    }

    @Test
    void aBlockRefusesMessagesBothWaysUntilUnblocked() throws Exception {
        Recorder bobSees = new Recorder();
        MatchbookClient a = open("alice", new Recorder());
        MatchbookClient b = open("bob", bobSees);

        b.block("alice").get(15, TimeUnit.SECONDS);

        assertThat(b.blocked().get(15, TimeUnit.SECONDS), contains("alice"));
        assertThat(sendFailure(a.send("bob", "let me in")).code(), is(SendException.BLOCKED));
        assertThat(sendFailure(b.send("alice", "bye")).code(), is(SendException.BLOCKED));
        b.unblock("alice").get(15, TimeUnit.SECONDS);
        assertThat(b.blocked().get(15, TimeUnit.SECONDS).isEmpty(), is(true));
        Ack ack = a.send("bob", "friends again").get(15, TimeUnit.SECONDS);
        bobSees.awaitMessages(1);
        assertThat(bobSees.messages().getFirst().id(), is(ack.id()));
        assertThat(bobSees.messages().size(), is(1));
    }

    @Test
    void sendsInFlightWhenTheConnectionIsCutAreStoredAndShownExactlyOnce() throws Exception {
        Recorder aliceSees = new Recorder();
        Recorder bobSees = new Recorder();
        try (DroppingProxy network = new DroppingProxy(server.uri())) {
            MatchbookClient a = open("alice", aliceSees, network.uri());
            open("bob", bobSees);
            sendThroughCuts(a, network, aliceSees, bobSees);
        }
    }

    /**
     * 30 sends in three rounds: delivered normally; stored by the server while its acks are lost, then the connection
     * is reset (so the client must resend them, and the server must recognise their keys); and reset again while in
     * flight. Every message must reach bob once, and alice's own copy once.
     */
    private void sendThroughCuts(MatchbookClient a, DroppingProxy network, Recorder aliceSees, Recorder bobSees)
            throws Exception {
        List<CompletableFuture<Ack>> sends = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i == 10) {
                bobSees.awaitMessages(10);
                network.holdReplies();
            }
            if (i == 20) {
                bobSees.awaitMessages(20); // stored: bob has them, alice has no ack for them
                assertThat(sends.subList(10, 20).stream().anyMatch(CompletableFuture::isDone), is(false));
                network.cut();
            }
            texts.add("m" + i);
            sends.add(a.send("bob", "m" + i));
            if (i == 25) {
                network.cut();
            }
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<Ack> f : sends) {
            ids.add(f.get(15, TimeUnit.SECONDS).id());
        }

        bobSees.awaitMessages(30);
        aliceSees.awaitMessages(30);
        a.send("bob", "last").get(15, TimeUnit.SECONDS);
        bobSees.awaitMessages(31); // a doubled message would show before this one
        assertThat(ids.stream().distinct().count(), is(30L));
        assertThat(bobSees.texts().subList(0, 30), containsInAnyOrder(texts.toArray()));
        assertThat(bobSees.messages().stream().limit(30).map(Message::id).toList(), containsInAnyOrder(ids.toArray()));
        assertThat(aliceSees.texts().subList(0, 30), containsInAnyOrder(texts.toArray()));
        assertThat(a.history("bob", 200).get(15, TimeUnit.SECONDS).messages().size(), is(31));
        assertThat(aliceSees.states().contains(ConnectionState.RECONNECTING), is(true));
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(m -> m.text().orElse("")).toList();
    }

    private static SendException sendFailure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(15, TimeUnit.SECONDS));
        assertThat(e.getCause(), instanceOf(SendException.class));
        return (SendException) e.getCause();
    }

    private MatchbookClient open(String user, Recorder recorder) {
        return open(user, recorder, server.uri());
    }

    private MatchbookClient open(String user, Recorder recorder, java.net.URI uri) {
        MatchbookClient c = recorder.attach(MatchbookClient.builder().server(uri).userId(user).backoff(QUICK))
                .build();
        clients.add(c);
        c.connect();
        recorder.awaitState(c, ConnectionState.OPEN);
        return c;
    }
}
