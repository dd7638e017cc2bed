package com.matchbook.realtime.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A message's JSON as PROTOCOL.md "Messages" spells it, written by the server and read back by the client. */
class MessageJsonTest {
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private static JsonObject object(String json) {
        return JsonText.parseObject(json).orElseThrow();
    }

    @Test
    void aTextMessageIsWrittenInTheContractsFieldOrder() {
        WireMessage m = new WireMessage("m1", 7, "chat", "alice", "bob", "hi \"there\"",
                                        Json.createObjectBuilder().add("k", 1).build(), null, AT, false);
        assertThat(MessageJson.frameJson(m), is("{\"type\":\"message\",\"id\":\"m1\",\"seq\":7,\"channel\":\"chat\","
                + "\"from\":\"alice\",\"to\":\"bob\",\"text\":\"hi \\\"there\\\"\",\"data\":{\"k\":1},"
                + "\"sentAt\":\"2026-01-02T03:04:05Z\"}"));
    }

    @Test
    void aBroadcastHasNoSeqAndNoRecipient() {
        WireMessage m = new WireMessage("b1", WireMessage.NO_SEQ, "news", "ops", null, "hello", null, null, AT, true);
        assertThat(MessageJson.frameJson(m), is("{\"type\":\"message\",\"id\":\"b1\",\"channel\":\"news\","
                + "\"from\":\"ops\",\"text\":\"hello\",\"sentAt\":\"2026-01-02T03:04:05Z\",\"broadcast\":true}"));
    }

    @Test
    void aWrittenMessageReadsBackTheSame() {
        WireMessage sent = new WireMessage("m2", 3, "orders", "alice", "bob", "é", null, null, AT, false);
        WireMessage read = MessageJson.read(object(MessageJson.frameJson(sent))).orElseThrow();
        assertThat(read.id(), is("m2"));
        assertThat(read.seq(), is(3L));
        assertThat(read.channel(), is("orders"));
        assertThat(read.from(), is("alice"));
        assertThat(read.to(), is("bob"));
        assertThat(read.text().orElseThrow(), is("é"));
        assertThat(read.data().isPresent(), is(false));
        assertThat(read.sentAt(), is(AT));
        assertThat(read.broadcast(), is(false));
    }

    @Test
    void aFileTravelsInABinaryFrameAndInHistoryAsBase64() {
        byte[] file = "hi".getBytes(StandardCharsets.UTF_8);
        WireMessage sent = new WireMessage("f1", 4, "chat", "a", "b", null, null,
                                           new Attachment("f.txt", "text/plain", file), AT, false);

        BinaryFrames.Parts parts = BinaryFrames.decode(MessageJson.binaryFrame(sent), 1024);
        assertThat(parts.headerJson(), is("{\"type\":\"message\",\"id\":\"f1\",\"seq\":4,\"channel\":\"chat\","
                + "\"from\":\"a\",\"to\":\"b\",\"sentAt\":\"2026-01-02T03:04:05Z\",\"name\":\"f.txt\","
                + "\"contentType\":\"text/plain\",\"size\":2}"));
        WireMessage live = MessageJson.readBinary(object(parts.headerJson()), parts.payload()).orElseThrow();
        assertArrayEquals(file, live.attachment().orElseThrow().bytes());

        String history = MessageJson.historyJson(sent);
        assertThat(object(history).getString("payload"), is("aGk="));
        WireMessage replayed = MessageJson.read(object(history)).orElseThrow();
        assertThat(replayed.attachment().orElseThrow().name(), is("f.txt"));
        assertThat(replayed.attachment().orElseThrow().contentType(), is("text/plain"));
        assertArrayEquals(file, replayed.attachment().orElseThrow().bytes());
    }

    @Test
    void aMessageWithoutAFileHasNoBinaryFrame() {
        WireMessage m = new WireMessage("m3", 1, "chat", "a", "b", "x", null, null, AT, false);
        assertThrows(IllegalArgumentException.class, () -> MessageJson.binaryFrame(m));
    }

    @Test
    void absentFieldsReadAsTheContractsDefaults() {
        WireMessage m = MessageJson.read(object("{\"type\":\"message\",\"id\":\"x\",\"broadcast\":true}"))
                .orElseThrow();
        assertThat(m.seq(), is(WireMessage.NO_SEQ));
        assertThat(m.channel(), is("chat"));
        assertThat(m.from(), is(""));
        assertThat(m.to(), is(""));
        assertThat(m.broadcast(), is(true));
        WireMessage file = MessageJson.readBinary(object("{\"id\":\"y\"}"), new byte[] {1}).orElseThrow();
        assertThat(file.attachment().orElseThrow().name(), is("file"));
        assertThat(file.attachment().orElseThrow().contentType(), is("application/octet-stream"));
    }

    @Test
    void aMessageWithoutAnIdOrWithABadPayloadIsUnreadable() {
        assertThat(MessageJson.read(object("{\"type\":\"message\",\"seq\":1}")).isPresent(), is(false));
        assertThat(MessageJson.read(object("{\"id\":7}")).isPresent(), is(false));
        assertThat(MessageJson.read(object("{\"id\":\"z\",\"payload\":\"not base64!\"}")).isPresent(), is(false));
        assertThat(MessageJson.readBinary(object("{}"), new byte[0]).isPresent(), is(false));
    }

    @Test
    void nonObjectsAndBrokenJsonAreNotObjects() {
        assertThat(JsonText.parseObject("[1]").isPresent(), is(false));
        assertThat(JsonText.parseObject("{\"a\":").isPresent(), is(false));
        assertThat(JsonText.parseObject("").isPresent(), is(false));
    }

    @Test
    void anEditedMessageWithoutEditedAtCountsAsEditedWhenSent() {
        WireMessage m = MessageJson.read(object("{\"id\":\"e2\",\"seq\":5,\"from\":\"a\",\"to\":\"b\","
                + "\"text\":\"fixed\",\"sentAt\":\"2026-01-02T03:04:05Z\",\"edited\":true}")).orElseThrow();
        assertThat(m.edited(), is(true));
        assertThat(m.editedAt().orElseThrow(), is(AT));
    }

    @Test
    void anEditedMessageSaysSoAndADeletedOneHasNoContent() {
        Instant edited = Instant.parse("2026-01-02T03:10:00Z");
        WireMessage m = new WireMessage("e1", 3, "chat", "a", "b", "fixed", null, null, AT, false, edited, false);
        String json = MessageJson.frameJson(m);
        assertThat(json, is("{\"type\":\"message\",\"id\":\"e1\",\"seq\":3,\"channel\":\"chat\",\"from\":\"a\","
                + "\"to\":\"b\",\"text\":\"fixed\",\"sentAt\":\"2026-01-02T03:04:05Z\",\"edited\":true,"
                + "\"editedAt\":\"2026-01-02T03:10:00Z\"}"));
        WireMessage back = MessageJson.read(object(json)).orElseThrow();
        assertThat(back.edited(), is(true));
        assertThat(back.editedAt().orElseThrow(), is(edited));
        assertThat(back.deleted(), is(false));

        WireMessage gone = new WireMessage("d1", 4, "chat", "a", "b", null, null, null, AT, false, null, true);
        String deleted = MessageJson.frameJson(gone);
        assertThat(deleted, is("{\"type\":\"message\",\"id\":\"d1\",\"seq\":4,\"channel\":\"chat\",\"from\":\"a\","
                + "\"to\":\"b\",\"sentAt\":\"2026-01-02T03:04:05Z\",\"deleted\":true}"));
        WireMessage readBack = MessageJson.read(object(deleted)).orElseThrow();
        assertThat(readBack.deleted(), is(true));
        assertThat(readBack.edited(), is(false));
        assertThat(readBack.text().isPresent(), is(false));
    }
}
