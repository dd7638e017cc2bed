package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.helidon.webserver.WebServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** Outages and recovery against the real server: nothing lost, nothing twice, in order. */
class ReconnectTest {
    /** Short steps so a test waits milliseconds, not the production 500 ms .. 30 s. */
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(50), Duration.ofMillis(300));

    private final List<MatchbookClient> clients = new ArrayList<>();
    private final List<WebServer> extraNodes = new ArrayList<>();
    private TestServer server;

    @AfterEach
    void stop() {
        clients.forEach(MatchbookClient::close);
        extraNodes.stream().filter(WebServer::isRunning).forEach(WebServer::stop);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void serverRestartIsRecoveredWithoutLossOrDuplicates() {
        server = TestServer.start();
        Recorder bob = new Recorder();
        MatchbookClient b = open(bob, builder(server.uri(), bob));
        post(server.uri(), "m1");
        bob.awaitMessages(1);

        server.kill(); // no close frame: the client notices the socket ending by itself

        bob.awaitState(b, ConnectionState.RECONNECTING);
        assertThat(bob.causes.getLast(), startsWith("OPEN->RECONNECTING: closed 1006 connection lost"));
        int before = b.attempts();
        bob.await("attempts counting up while the server is down", () -> b.attempts() >= before + 3);
        assertThat(b.state(), is(ConnectionState.RECONNECTING));

        // Stored while bob is away, through another node sharing the same history.
        WebServer other = node();
        for (int i = 2; i <= 6; i++) {
            post(URI.create("http://localhost:" + other.port()), "m" + i);
        }
        server.restart();

        bob.awaitMessages(6);
        assertThat(b.state(), is(ConnectionState.OPEN));
        post(server.uri(), "m7");
        bob.awaitMessages(7);
        assertThat(bob.texts(), contains("m1", "m2", "m3", "m4", "m5", "m6", "m7"));
        assertThat(bob.seqs(), is(LongStream.rangeClosed(1, 7).boxed().toList()));
        assertThat(b.lastSeq().orElseThrow(), is(7L));
    }

    @Test
    void aVanishedServerIsNoticedAndTheNextNodeIsTried() {
        server = TestServer.start();
        WebServer second = node();
        URI secondUri = URI.create("http://localhost:" + second.port());
        Recorder bob = new Recorder();
        MatchbookClient b = open(bob, builder(server.uri(), bob).server(secondUri));

        server.kill();

        bob.awaitState(b, ConnectionState.RECONNECTING);
        bob.await("open again, on the second node", () -> b.state() == ConnectionState.OPEN);
        assertThat(b.attempts(), is(2));
        post(secondUri, "via the second node");
        bob.awaitMessages(1);
        assertThat(bob.texts(), contains("via the second node"));
    }

    @Test
    void incompleteReplayIsCompletedOverHttp() {
        server = TestServer.start(Map.of("matchbook.history.max-per-user", "3"));
        IntStream.rangeClosed(1, 5).forEach(i -> post(server.uri(), "m" + i));
        Recorder bob = new Recorder();

        // A device that last saw seq 0: history now starts at seq 3, so the replay says it is incomplete.
        open(bob, builder(server.uri(), bob).resumeAfter(0));

        bob.awaitMessages(3);
        post(server.uri(), "m6");
        bob.awaitMessages(4);
        assertThat(bob.texts(), contains("m3", "m4", "m5", "m6"));
        assertThat(bob.seqs(), contains(3L, 4L, 5L, 6L));
    }

    @Test
    void aWipedServerResetsTheCursor() {
        server = TestServer.start();
        Recorder bob = new Recorder();
        MatchbookClient b = open(bob, builder(server.uri(), bob));
        IntStream.rangeClosed(1, 3).forEach(i -> post(server.uri(), "old" + i));
        bob.awaitMessages(3);

        server.stop(); // a drain: 1001 with a reconnect hint of at least 250 ms

        bob.awaitState(b, ConnectionState.RECONNECTING);
        String cause = bob.causes.getLast();
        assertThat(cause, startsWith("OPEN->RECONNECTING: closed 1001 server going away; retry-after-ms="));
        long hintMs = Long.parseLong(cause.replaceAll(".*retry-after-ms=(\\d+).*", "$1"));
        long delayMs = Long.parseLong(cause.replaceAll(".* in (\\d+) ms$", "$1"));
        assertThat("the server's hint is honoured before the backoff", delayMs >= hintMs, is(true));
        server.restartWiped();
        post(server.uri(), "new1");   // stored on the wiped server, most likely before bob is back
        bob.awaitState(b, ConnectionState.OPEN);
        post(server.uri(), "new2");

        bob.awaitMessages(5);
        assertThat(bob.texts(), contains("old1", "old2", "old3", "new1", "new2"));
        assertThat(bob.seqs(), contains(1L, 2L, 3L, 1L, 2L));
    }

    @Test
    void aSubscriptionFiltersChannelsWithoutReportingGaps() throws Exception {
        server = TestServer.start();
        Recorder bob = new Recorder();
        List<Message> matches = new ArrayList<>();
        MatchbookClient b = open(bob, builder(server.uri(), bob).on("matches", m -> bob.add(matches, m)));

        b.subscribe(List.of("matches"));
        // Frames of one connection are handled in order: once this is acked, the server filters for bob.
        b.send("bob", "matches", "note to self").get(10, TimeUnit.SECONDS);
        post(server.uri(), "{\"to\":\"bob\",\"channel\":\"chat\",\"text\":\"filtered\"}", true);
        post(server.uri(), "{\"to\":\"bob\",\"channel\":\"matches\",\"text\":\"match 1\"}", true);
        post(server.uri(), "{\"to\":\"bob\",\"channel\":\"matches\",\"text\":\"match 2\"}", true);

        // Channel handlers run after the message listeners: wait for them too.
        bob.await("three matches", () -> matches.size() == 3);
        bob.await("the cursor past the filtered message", () -> b.lastSeq().orElse(0) == 4);
        assertThat(bob.texts(), contains("note to self", "match 1", "match 2"));
        assertThat(bob.seqs(), contains(1L, 3L, 4L));
        assertThat(matches.stream().map(m -> m.text().orElseThrow()).toList(),
                   contains("note to self", "match 1", "match 2"));
        assertThat(bob.errors().isEmpty(), is(true));
        assertThat(bob.states(), hasItem(ConnectionState.OPEN));
    }

    private MatchbookClientBuilder builder(URI uri, Recorder recorder) {
        return recorder.attach(MatchbookClient.builder().server(uri).userId("bob").backoff(QUICK));
    }

    private MatchbookClient open(Recorder recorder, MatchbookClientBuilder builder) {
        MatchbookClient c = builder.build();
        clients.add(c);
        c.connect();
        recorder.awaitState(c, ConnectionState.OPEN);
        return c;
    }

    private WebServer node() {
        WebServer node = server.startSecondNode();
        extraNodes.add(node);
        return node;
    }

    private static void post(URI base, String text) {
        post(base, "{\"to\":\"bob\",\"from\":\"alice\",\"text\":\"" + text + "\"}", true);
    }

    private static void post(URI base, String json, boolean mustBeAccepted) {
        int status = TestServer.post(base, json).statusCode();
        if (mustBeAccepted) {
            assertThat("POST " + json, status, is(202));
        }
    }
}
