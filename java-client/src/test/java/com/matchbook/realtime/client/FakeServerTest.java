package com.matchbook.realtime.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.startsWith;

/** Timeouts, refusals and tokens, against a scripted server. */
class FakeServerTest {

    private final BobAgainstFake setup = new BobAgainstFake();
    private final ScheduledExecutorService pinger = new ScheduledThreadPoolExecutor(1);
    private final Recorder bob = setup.bob;

    @AfterEach
    void stop() throws Exception {
        pinger.shutdownNow();
        setup.close();
    }

    @Test
    void aSilentConnectionIsDroppedAfterHeartbeatPlusGrace() {
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> s.send(FakeServer.welcome(n, 200), true)));
        MatchbookClient c = setup.client(fake, b -> b.pingGrace(Duration.ofMillis(300)));

        c.connect();

        bob.await("a second socket", () -> fake.socketsOpened() >= 2);
        // The state listener may hear of the drop after the new socket is open: wait for it, not for the socket.
        bob.await("the drop's cause", () -> bob.causes.size() >= 3);
        assertThat(bob.causes.get(2), startsWith("OPEN->RECONNECTING: nothing heard for "));
    }

    @Test
    void withoutPingGraceTheServersHeartbeatTimeoutIsTheGrace() {
        String welcome = FakeServer.welcome(1, 200).replace("\"heartbeatMs\":200,",
                                                            "\"heartbeatMs\":200,\"heartbeatTimeoutMs\":300,");
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> s.send(welcome, true)));
        MatchbookClient c = setup.client(fake, b -> { });

        c.connect();

        bob.await("a second socket", () -> fake.socketsOpened() >= 2);
        bob.await("the drop's cause", () -> bob.causes.size() >= 3);
        String cause = bob.causes.get(2);
        assertThat(cause, startsWith("OPEN->RECONNECTING: nothing heard for "));
        // The deadline is 200 + 300 ms; the 10 s default grace would have given at least 10,200 ms of silence.
        long silentMs = Long.parseLong(cause.replaceFirst(".*nothing heard for (\\d+) ms.*", "$1"));
        assertThat(silentMs, lessThan(5_000L));
    }

    @Test
    void pingsKeepTheConnectionAliveAndControlPingsAreAnswered() {
        AtomicInteger pings = new AtomicInteger();
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> {
            s.send(FakeServer.welcome(n, 200), true);
            pinger.scheduleAtFixedRate(() -> {
                s.ping(BufferData.create("hb".getBytes(StandardCharsets.UTF_8)));
                s.send("{\"type\":\"ping\"}", true);
                pings.incrementAndGet();
            }, 100, 100, TimeUnit.MILLISECONDS);
        }));
        // A deadline of 200 + 1000 ms: pings 100 ms apart keep it, and a stall of a loaded machine (the pinger's
        // thread or the client's) up to a second does not break it.
        MatchbookClient c = setup.client(fake, b -> b.pingGrace(Duration.ofMillis(1000)));

        c.connect();

        // 40 pings take 4 s, three times the 1.2 s deadline.
        bob.await("40 pings", () -> pings.get() >= 40);
        assertThat(c.state(), is(ConnectionState.OPEN));
        assertThat(fake.socketsOpened(), is(1));
        // Pongs are counted on the fake server's reader thread, which may still be behind the 15th ping.
        bob.await("10 control pongs", () -> fake.pongs.get() >= 10);
    }

    @Test
    void backoffGrowsWhileConnectionsDropAtOnceAndRestartsAfterOneStayedUp() {
        // Sockets 1-4 die right after their welcome; later ones live 1.5 s, three times the 500 ms minimum uptime.
        // Both margins are wide: a loaded machine can delay the welcome or the close by a few hundred ms, and the
        // client measures uptime between the two.
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> {
            s.send(FakeServer.welcome(n, 10_000), true);
            pinger.schedule(() -> s.close(1011, "boom"), n <= 4 ? 0 : 1500, TimeUnit.MILLISECONDS);
        }));
        MatchbookClient c = setup.client(fake, b -> b.backoff(new Backoff(Duration.ofMillis(20),
                                                                          Duration.ofSeconds(10)))
                .random(() -> 0.999).minUptime(Duration.ofMillis(500)));

        c.connect();

        bob.await("seven sockets", () -> fake.socketsOpened() >= 7);
        List<Long> delays;
        synchronized (bob) {
            delays = bob.causes.stream().filter(x -> x.startsWith("OPEN->RECONNECTING: closed 1011 boom"))
                    .map(x -> Long.parseLong(x.replaceAll(".* in (\\d+) ms$", "$1"))).limit(6).toList();
        }
        // floor(0.999 * 20 * 2^attempt): 19, 39, 79, 159; then the attempt count starts again.
        assertThat(delays, contains(19L, 39L, 79L, 159L, 19L, 19L));
    }

    @Test
    void noWelcomeMeansTheHandshakeTimedOut() {
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> { }));
        MatchbookClient c = setup.client(fake, b -> b.handshakeTimeout(Duration.ofMillis(300)));

        c.connect();

        bob.awaitState(c, ConnectionState.RECONNECTING);
        assertThat(bob.causes.getLast(), startsWith("CONNECTING->RECONNECTING: no welcome within 300 ms"));
        bob.await("another attempt", () -> fake.socketsOpened() >= 2);
    }

    @Test
    void a503UpgradeIsRetriedAfterRetryAfter() {
        FakeServer fake = setup.fake(new FakeServer(Optional.empty(), r -> r.get("/ws", (req, res) -> res
                .status(Status.SERVICE_UNAVAILABLE_503).header(HeaderNames.RETRY_AFTER, "2").send("busy"))));
        MatchbookClient c = setup.client(fake, b -> { });

        c.connect();

        bob.awaitState(c, ConnectionState.RECONNECTING);
        assertThat(bob.causes.getLast(), containsString("upgrade refused with HTTP 503, retry after 2000 ms"));
        long delayMs = Long.parseLong(bob.causes.getLast().replaceAll(".* in (\\d+) ms$", "$1"));
        assertThat(delayMs, greaterThanOrEqualTo(2000L));
    }

    @Test
    void aRefusedTokenIsReplacedBeforeTheNextAttempt() {
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> {
            if (n == 1) {
                s.close(4001, "token expired");
            } else {
                s.send(FakeServer.welcome(n, 10_000), true);
            }
        }));
        AtomicInteger issued = new AtomicInteger();
        MatchbookClient c = setup.client(fake, b -> b.tokenSupplier(() -> "token-" + issued.incrementAndGet()));

        c.connect();

        bob.await("open on the second attempt", () -> c.state() == ConnectionState.OPEN);
        assertThat(fake.queries.stream().map(FakeServerTest::sorted).toList(),
                   contains("id=bob&token=token-1", "id=bob&token=token-2"));
        assertThat(bob.causes.get(1), startsWith("CONNECTING->RECONNECTING: closed 4001 token expired"));
    }

    @Test
    void aTokenIsRefreshedInBandBeforeItExpires() {
        FakeServer fake = setup.fake(FakeServer.sockets((n, s) -> s.send(FakeServer.welcome(n, 10_000), true)));
        AtomicInteger issued = new AtomicInteger();
        MatchbookClient c = setup.client(fake, b -> b.tokenRefreshAhead(Duration.ofSeconds(60))
                .tokenSupplier(() -> jwt("bob", Instant.now().plusSeconds(61), issued.incrementAndGet())));

        c.connect();

        // exp is 61 s away and the refresh is due 60 s ahead: after the 1 s floor, an auth frame with token #2.
        bob.await("an auth frame", () -> fake.framesIn.stream().anyMatch(f -> f.contains("\"type\":\"auth\"")));
        String auth = fake.framesIn.stream().filter(f -> f.contains("\"auth\"")).findFirst().orElseThrow();
        assertThat(auth, startsWith("{\"type\":\"auth\",\"token\":\""));
        assertThat("the second token the supplier issued", auth, endsWith(".sig2\"}"));
        assertThat(fake.socketsOpened(), is(1));
        assertThat(c.state(), is(ConnectionState.OPEN));
    }

    @Test
    void anIncompleteReplayIsFetchedWithTheBearerToken() {
        List<String> authorizations = new ArrayList<>();
        FakeServer fake = setup.fake(new FakeServer(
                Optional.of((n, s) -> s.send(FakeServer.welcome(n, 10_000, 2, 2, 2, false), true)),
                r -> r.get("/api/users/{id}/messages", (req, res) -> {
                    synchronized (authorizations) {
                        authorizations.add(req.headers().first(HeaderNames.AUTHORIZATION).orElse("none"));
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "application/json").send(
                            "{\"messages\":[" + message(2, "from history") + "],\"lastSeq\":2,\"complete\":false}");
                })));
        MatchbookClient c = setup.client(fake, b -> b.tokenSupplier(() -> "secret").resumeAfter(0));

        c.connect();

        bob.awaitMessages(1);
        assertThat(bob.texts(), contains("from history"));
        synchronized (authorizations) {
            assertThat(authorizations, contains("Bearer secret"));
        }
        assertThat(sorted(fake.queries.getFirst()), is("id=bob&since=0&token=secret"));
    }

    /** The server's view of the query reorders parameters; compare them sorted. */
    private static String sorted(String query) {
        return String.join("&", Arrays.stream(query.split("&")).sorted().toList());
    }

    private static String message(long seq, String text) {
        return "{\"type\":\"message\",\"id\":\"m" + seq + "\",\"seq\":" + seq + ",\"channel\":\"chat\",\"from\":\"alice\","
                + "\"to\":\"bob\",\"text\":\"" + text + "\",\"sentAt\":\"2025-01-01T00:00:00Z\"}";
    }

    /** An unsigned-looking JWT: the client never verifies, it only reads {@code exp}. */
    private static String jwt(String sub, Instant exp, int n) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"sub\":\"" + sub + "\",\"exp\":" + exp.getEpochSecond() + ",\"n\":" + n + "}";
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig" + n;
    }
}
