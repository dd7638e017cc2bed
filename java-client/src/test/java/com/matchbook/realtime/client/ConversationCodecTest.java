package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import com.matchbook.realtime.protocol.JsonText;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The 1.1 pieces that need no server: update frames, a message's next version, URLs, keys, refusal bodies. */
class ConversationCodecTest {
    private static final String M1 = "{\"type\":\"message\",\"id\":\"m1\",\"seq\":4,\"from\":\"alice\",\"to\":\"bob\","
            + "\"text\":\"helo\",\"data\":{\"x\":1},\"sentAt\":\"2026-11-30T10:00:00Z\"}";

    @Test
    void anEditReplacesWhatItCarriesAndADeleteRemovesAllContent() {
        Message m = message(M1);
        Update edit = update("{\"type\":\"update\",\"seq\":5,\"id\":\"m1\",\"action\":\"edit\",\"from\":\"alice\","
                                     + "\"to\":\"bob\",\"text\":\"hello\",\"at\":\"2026-11-30T10:01:00Z\"}");
        Update delete = update("{\"type\":\"update\",\"seq\":6,\"id\":\"m1\",\"action\":\"delete\",\"from\":\"alice\","
                                       + "\"to\":\"bob\",\"at\":\"2026-11-30T10:02:00Z\"}");

        Message edited = m.apply(edit);
        assertThat(edited.text(), is(Optional.of("hello")));
        assertThat(edited.data().orElseThrow().toString(), is("{\"x\":1}"));
        assertThat(edited.edited(), is(true));
        assertThat(edited.editedAt(), is(Optional.of(Instant.parse("2026-11-30T10:01:00Z"))));
        assertThat(m.text(), is(Optional.of("helo")));

        Message deleted = edited.apply(delete);
        assertThat(deleted.deleted(), is(true));
        assertThat(deleted.text().isPresent() || deleted.data().isPresent(), is(false));
        assertThat(deleted.seq(), is(OptionalLong.of(4)));
        assertThat(deleted.apply(edit).deleted(), is(true));
    }

    @Test
    void anOlderEditOrAnotherMessagesUpdateChangesNothing() {
        Message m = message(M1.replace("\"sentAt\"", "\"edited\":true,\"editedAt\":\"2026-11-30T10:05:00Z\",\"sentAt\""));
        assertThat(m.edited(), is(true));
        Update older = update("{\"seq\":5,\"id\":\"m1\",\"action\":\"edit\",\"text\":\"old\","
                                      + "\"at\":\"2026-11-30T10:01:00Z\"}");
        Update other = update("{\"seq\":6,\"id\":\"m2\",\"action\":\"delete\",\"at\":\"2026-11-30T10:06:00Z\"}");
        assertThat(m.apply(older).text(), is(Optional.of("helo")));
        assertThat(m.apply(other).deleted(), is(false));
    }

    @Test
    void aDeletedMessageFromHistoryHasNoContent() {
        Message m = message("{\"id\":\"m1\",\"seq\":4,\"from\":\"alice\",\"to\":\"bob\",\"deleted\":true,"
                                    + "\"sentAt\":\"2026-11-30T10:00:00Z\"}");
        assertThat(m.deleted(), is(true));
        assertThat(m.text(), is(Optional.empty()));
    }

    @Test
    void updatesWithoutSeqIdOrKnownActionAreUnreadable() {
        assertThat(Update.fromJson(JsonText.parseObject("{\"id\":\"m1\",\"action\":\"edit\"}").orElseThrow()),
                   is(Optional.empty()));
        assertThat(Update.fromJson(JsonText.parseObject("{\"seq\":1,\"id\":\"m1\",\"action\":\"pin\"}").orElseThrow()),
                   is(Optional.empty()));
    }

    @Test
    void aHistoryPageMayListUpdatesBesideMessages() {
        History.Page page = History.parse("{\"messages\":[" + M1 + ",{\"type\":\"update\",\"seq\":5,\"id\":\"m1\","
                                                  + "\"action\":\"delete\"}],\"lastSeq\":5,\"complete\":true}");
        assertThat(page.entries().size(), is(2));
        assertThat(page.entries().get(1) instanceof Update u && u.action() == Update.Action.DELETE, is(true));
        assertThat(page.messages().size(), is(1));
    }

    @Test
    void conversationUrlsFollowTheContract() {
        URI base = URI.create("https://chat.example.com/app/");
        assertThat(Endpoints.conversations(base, "alice", 50),
                   is(URI.create("https://chat.example.com/app/api/users/alice/conversations?limit=50")));
        assertThat(Endpoints.conversationMessages(base, "alice", "bob.b", OptionalLong.of(120), 20),
                   is(URI.create("https://chat.example.com/app/api/users/alice/conversations/bob.b/messages"
                                         + "?before=120&limit=20")));
        assertThat(Endpoints.conversationMessages(base, "alice", "bob", OptionalLong.empty(), 20).getQuery(),
                   is("limit=20"));
        assertThat(Endpoints.blocks(base, "alice", Optional.of("bob")).getPath(), is("/app/api/users/alice/blocks/bob"));
        assertThat(Endpoints.blocks(base, "alice", Optional.empty()).getPath(), is("/app/api/users/alice/blocks"));
    }

    @Test
    void keysFollowTheContractAndDoNotRepeat() {
        String a = PendingSends.newKey();
        assertThat(a.matches("[A-Za-z0-9._:-]{1,64}"), is(true));
        assertThat(a.equals(PendingSends.newKey()), is(false));
    }

    @Test
    void refusalsReadTheServersErrorBody() {
        ApiException e = UserApi.refusal(403, "{\"error\":\"blocked\",\"message\":\"alice blocks you\"}");
        assertThat(e.code(), is("blocked"));
        assertThat(e.status(), is(403));
        assertThat(e.getMessage(), is("blocked: alice blocks you"));
        assertThat(UserApi.refusal(502, "<html>bad gateway</html>").code(), is("http_502"));
    }

    private static Message message(String json) {
        return Message.fromJson(JsonText.parseObject(json).orElseThrow()).orElseThrow();
    }

    private static Update update(String json) {
        return Update.fromJson(JsonText.parseObject(json).orElseThrow()).orElseThrow();
    }
}
