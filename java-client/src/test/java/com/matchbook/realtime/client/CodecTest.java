package com.matchbook.realtime.client;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import com.matchbook.realtime.protocol.JsonText;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The client's pure pieces: JWT expiry, URLs, refused upgrades, history pages, the public message. The binary layout
 * and the user id rule are the protocol module's, tested there.
 */
class CodecTest {

    @Test
    void jwtExpiryIsReadWithoutVerifying() {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"alice\",\"exp\":1900000000}".getBytes(StandardCharsets.UTF_8));
        assertThat(Jwt.expiry("eyJhbGciOiJIUzI1NiJ9." + payload + ".sig"),
                   is(Optional.of(Instant.ofEpochSecond(1_900_000_000L))));
        assertThat(Jwt.expiry("not-a-jwt"), is(Optional.empty()));
        assertThat(Jwt.expiry("a.!!!.c"), is(Optional.empty()));
        String noExp = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sub\":\"a\"}".getBytes());
        assertThat(Jwt.expiry("h." + noExp + ".s"), is(Optional.empty()));
    }

    @Test
    void socketUrlIsDerivedFromTheBase() {
        assertThat(Endpoints.socket(URI.create("http://localhost:8080"), "alice", OptionalLong.empty(), Optional.empty()),
                   is(URI.create("ws://localhost:8080/ws?id=alice")));
        assertThat(Endpoints.socket(URI.create("https://chat.example.com/app/"), "a.b-c_d", OptionalLong.of(42),
                                    Optional.of("x.y+z")),
                   is(URI.create("wss://chat.example.com/app/ws?id=a.b-c_d&since=42&token=x.y%2Bz")));
        assertThat(Endpoints.history(URI.create("http://h:1/"), "bob", 7, 100),
                   is(URI.create("http://h:1/api/users/bob/messages?since=7&limit=100")));
    }

    @Test
    void endpointsRotateThroughTheNodes() {
        Endpoints e = new Endpoints(List.of(URI.create("http://a:1"), URI.create("http://b:2")));
        assertThat(e.current().getHost(), is("a"));
        e.rotate();
        assertThat(e.current().getHost(), is("b"));
        e.rotate();
        assertThat(e.current().getHost(), is("a"));
        assertThrows(IllegalArgumentException.class, () -> new Endpoints(List.of(URI.create("ws://a:1"))));
    }

    @Test
    void refusedUpgradeShowsStatusAndRetryAfter() {
        HandshakeFailure f = HandshakeFailure.of(new RuntimeException(
                "Failed to upgrade to WebSocket. Response: 503 Service Unavailable: Retry-After: 3\n"
                        + "Content-Length: 0\n"));
        assertThat(f.status(), is(503));
        assertThat(f.retryAfterMs(), is(3_000L));
        HandshakeFailure network = HandshakeFailure.of(new UncheckedIOException(
                new ConnectException("Connection refused")));
        assertThat(network.status(), is(0));
        assertThat(network.retryAfterMs(), is(0L));
    }

    @Test
    void historyPageKeepsBinaryPayloads() {
        String body = "{\"messages\":[{\"type\":\"message\",\"id\":\"m1\",\"seq\":3,\"channel\":\"chat\",\"from\":\"a\","
                + "\"to\":\"b\",\"sentAt\":\"2025-01-01T00:00:00Z\",\"name\":\"f.txt\",\"contentType\":\"text/plain\","
                + "\"size\":2,\"payload\":\"aGk=\"}],\"lastSeq\":9,\"complete\":false}";
        History.Page page = History.parse(body);
        assertThat(page.lastSeq(), is(9L));
        assertThat(page.complete(), is(false));
        Message m = page.messages().getFirst();
        assertThat(m.seq(), is(OptionalLong.of(3)));
        assertThat(m.attachment().orElseThrow().name(), is("f.txt"));
        assertArrayEquals("hi".getBytes(StandardCharsets.UTF_8), m.attachment().orElseThrow().bytes());
    }

    @Test
    void theBuilderRefusesAnIdOutsideTheContractsRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> MatchbookClient.builder().userId("bad/id"));
        assertThat(e.getMessage(), is("user id must be 1 to 64 characters of A-Z a-z 0-9 . _ -, got 'bad/id'"));
    }

    @Test
    void aBroadcastHasNoSeqAndNoRecipient() {
        Message m = Message.fromJson(JsonText.parseObject("{\"type\":\"message\",\"id\":\"b1\",\"channel\":\"news\","
                + "\"from\":\"ops\",\"text\":\"hi\",\"sentAt\":\"2026-01-02T03:04:05Z\",\"broadcast\":true}")
                                             .orElseThrow()).orElseThrow();
        assertThat(m.broadcast(), is(true));
        assertThat(m.seq(), is(OptionalLong.empty()));
        assertThat(m.to(), is(Optional.empty()));
        assertThat(m.text(), is(Optional.of("hi")));
    }
}
