package com.matchbook.realtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.Json;
import com.matchbook.realtime.support.RunningServer;
import com.matchbook.realtime.support.SseClient;
import com.matchbook.realtime.support.TestSocket;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API documents against the running server: real HTTP answers are checked against the JSON Schemas in
 * {@code docs/openapi.yaml}, and frames captured from a real socket and SSE stream against those in
 * {@code docs/asyncapi.yaml}, so the documents cannot drift from the code. The documents are read from the
 * classpath, where server/pom.xml copies them from docs/ (the same copy the server serves at /docs/).
 */
class ApiDocumentsTest {
    private static final int MAX_TEXT = 200;   // small for the 413, big enough for every frame sent here
    /** OpenAPI 3.1's schema dialect; the AsyncAPI schemas here use only keywords it shares with draft-07. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static RunningServer server;

    @BeforeAll
    static void start() {
        server = RunningServer.start(Map.of("matchbook.max-text-bytes", Integer.toString(MAX_TEXT)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theServerServesTheDocumentsItIsTestedAgainst() throws IOException {
        for (String doc : List.of("openapi.yaml", "asyncapi.yaml", "protocol.md")) {
            Http.Reply r = Http.get(server.http("/docs/" + doc));
            assertEquals(200, r.status(), doc);
            assertArrayEquals(classpath(doc), r.body().getBytes(StandardCharsets.UTF_8), doc);
        }
        assertEquals("application/yaml",
                     Http.get(server.http("/docs/openapi.yaml")).headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void schemasRejectWhatTheContractForbids() {
        // Guards the checks below against passing vacuously (a schema that failed to resolve accepts anything).
        assertFalse(errors("openapi.yaml", "SendAccepted", "{\"id\":\"m1\",\"seq\":0}").isEmpty(), "seq starts at 1");
        assertFalse(errors("openapi.yaml", "Error", "{\"error\":\"bad\"}").isEmpty(), "message is required");
        assertFalse(errors("openapi.yaml", "History", "{\"messages\":[{\"id\":\"m\",\"seq\":1,\"channel\":\"chat\","
                + "\"from\":\"no spaces\",\"to\":\"b\",\"text\":\"t\",\"sentAt\":\"2026-01-01T00:00:00Z\"}],"
                + "\"lastSeq\":1,\"complete\":true}").isEmpty(), "a user id through two $refs");
        assertFalse(errors("asyncapi.yaml", "AckFrame", "{\"type\":\"ack\",\"id\":\"m1\"}").isEmpty(), "seq is required");
        assertFalse(errors("asyncapi.yaml", "WelcomeFrame", "{\"type\":\"welcome\",\"id\":\"a\",\"connectionId\":\"c\","
                + "\"heartbeatMs\":1,\"lastSeq\":0,\"replay\":{\"from\":1}}").isEmpty(), "replay has from, to, complete");
    }

    @Test
    void sendMessageAnswersAsDocumented() {
        Http.Reply accepted = Http.postJson(server.http("/send-message"), "{\"to\":\"doc-bob\",\"text\":\"hi\"}");
        assertEquals(202, accepted.status());
        conforms("openapi.yaml", "SendAccepted", accepted.body());

        assertError(400, Http.postJson(server.http("/send-message"), "{\"to\":"));
        assertError(400, Http.postJson(server.http("/send-message"), "{\"text\":\"no recipient\"}"));
        assertError(400, Http.postJson(server.http("/send-message"), "{\"to\":\"bad id\",\"text\":\"x\"}"));
        assertError(413, Http.postJson(server.http("/send-message"),
                                       "{\"to\":\"doc-bob\",\"text\":\"" + "x".repeat(MAX_TEXT + 1) + "\"}"));
        assertError(415, Http.post(server.http("/send-message"), "application/x-www-form-urlencoded", "to=doc-bob"));
    }

    @Test
    void readingEndpointsAnswerAsDocumented() {
        Http.postJson(server.http("/send-message"), "{\"to\":\"doc-carol\",\"from\":\"doc-dan\",\"text\":\"one\"}");
        Http.postJson(server.http("/send-message"),
                      "{\"to\":\"doc-carol\",\"data\":{\"kind\":\"match\",\"n\":[1,2]},\"channel\":\"matches:new\"}");

        Http.Reply history = Http.get(server.http("/api/users/doc-carol/messages?since=0"));
        assertEquals(200, history.status());
        assertEquals(2, history.json().getJsonArray("messages").size());
        conforms("openapi.yaml", "History", history.body());

        Http.Reply presence = Http.get(server.http("/api/users/doc-carol/presence"));
        conforms("openapi.yaml", "Presence", presence.body());
        try (TestSocket carol = TestSocket.welcomed(server.ws("?id=doc-carol"))) {
            Http.Reply online = Http.get(server.http("/api/users/doc-carol/presence"));
            assertTrue(online.json().getBoolean("online"));
            conforms("openapi.yaml", "Presence", online.body());
        }

        Http.Reply stats = Http.get(server.http("/api/stats"));
        assertEquals(200, stats.status());
        conforms("openapi.yaml", "Stats", stats.body());

        Http.Reply notice = Http.get(server.http("/events"));
        assertEquals(200, notice.status());
        conforms("openapi.yaml", "RetiredNotice", notice.body());

        Http.Reply health = Http.get(server.http("/health"));
        assertEquals(200, health.status());
        conforms("openapi.yaml", "Health", health.body());

        Http.Reply broadcast = Http.postJson(server.http("/api/broadcast"), "{\"text\":\"to all\"}");
        assertEquals(202, broadcast.status());
        conforms("openapi.yaml", "BroadcastAccepted", broadcast.body());

        assertError(400, Http.get(server.http("/api/users/bad%20id/presence")));
        assertError(400, Http.get(server.http("/api/users/doc-carol/messages?since=-1")));
        assertError(404, Http.get(server.http("/api/no-such-thing")));
        assertError(426, Http.send(HttpRequest.newBuilder(server.http("/ws?id=doc-carol")).GET()));
    }

    @Test
    void socketFramesAreAsDocumented() {
        try (TestSocket alice = TestSocket.welcomed(server.ws("?id=doc-alice"));
             TestSocket bob = TestSocket.welcomed(server.ws("?id=doc-bobby"))) {
            frame("WelcomeFrame", alice.welcome());
            frame("WelcomeFrame", bob.welcome());

            alice.send("{\"type\":\"send\",\"ref\":\"r1\",\"to\":\"doc-bobby\",\"text\":\"hello\"}");
            alice.send("{\"type\":\"send\",\"ref\":2,\"to\":\"doc-bobby\",\"data\":{\"a\":[true,null]},"
                               + "\"channel\":\"x.y/z\"}");
            JsonObject ack = alice.next("ack");
            assertEquals("r1", ack.getString("ref"));
            frame("AckFrame", ack);
            frame("AckFrame", alice.next("ack"));
            frame("MessageFrame", bob.next("message"));
            JsonObject second = bob.next("message");
            assertEquals("x.y/z", second.getString("channel"));
            frame("MessageFrame", second);

            bob.send("{\"type\":\"received\",\"seq\":" + second.getInt("seq") + "}");
            frame("ReceiptFrame", alice.next("receipt"));

            alice.send("{\"type\":\"typing\",\"to\":\"doc-bobby\",\"state\":\"start\"}");
            frame("TypingFrame", bob.next("typing"));

            alice.send("{\"type\":\"ping\"}");
            frame("PongFrame", alice.next("pong"));

            alice.send("{\"type\":\"no-such-type\",\"ref\":\"r9\"}");
            JsonObject unknown = alice.next("error");
            assertEquals("unknown_type", unknown.getString("code"));
            frame("ErrorFrame", unknown);
            alice.send("{\"type\":\"send\",\"to\":");
            frame("ErrorFrame", alice.next("error"));

            Http.postJson(server.http("/api/broadcast"), "{\"text\":\"everyone\",\"channel\":\"news\"}");
            JsonObject broadcast = bob.next(f -> f.type().equals("message") && f.json().containsKey("broadcast")).json();
            frame("BroadcastFrame", broadcast);
        }
    }

    @Test
    void sseEventsAreAsDocumented() {
        Http.postJson(server.http("/send-message"), "{\"to\":\"doc-sse\",\"text\":\"kept\"}");
        try (SseClient sse = new SseClient(server.http("/events?id=doc-sse&since=0"), Map.of())) {
            frame("WelcomeFrame", Json.parse(sse.next("welcome").data()));
            SseClient.Event message = sse.next("message");
            assertEquals("1", message.id(), "id: is the seq");
            frame("StoredMessage", Json.parse(message.data()));
        }
    }

    private static void assertError(int status, Http.Reply reply) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                   "an error is JSON: " + reply.headers());
        conforms("openapi.yaml", "Error", reply.body());
    }

    private static void frame(String schema, JsonObject json) {
        conforms("asyncapi.yaml", schema, json.toString());
    }

    private static void conforms(String document, String schema, String json) {
        List<Error> errors = errors(document, schema, json);
        assertTrue(errors.isEmpty(), () -> schema + " in " + document + ": " + errors + "\n  for " + json);
    }

    private static List<Error> errors(String document, String schema, String json) {
        Schema s = SCHEMAS.getSchema(SchemaLocation.of("classpath:docs/" + document + "#/components/schemas/" + schema));
        return s.validate(json, InputFormat.JSON);
    }

    private static byte[] classpath(String doc) throws IOException {
        try (InputStream in = ApiDocumentsTest.class.getClassLoader().getResourceAsStream("docs/" + doc)) {
            if (in == null) {
                throw new AssertionError("docs/" + doc + " is not on the classpath: see server/pom.xml's resources");
            }
            return in.readAllBytes();
        }
    }
}
