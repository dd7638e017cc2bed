package com.matchbook.realtime.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqliteStoreTest extends MessageStoreContract {
    @TempDir
    Path dir;

    @Override
    MessageStore open() {
        return new SqliteStore(dir, MAX_PER_USER, TTL, announced::add);
    }

    @Test
    void historySeqAndCursorSurviveARestart() {
        store = open();
        append("kim", "before 1");
        append("kim", "before 2");
        store.confirm("kim", 1);
        store.close();

        store = open();
        assertEquals(List.of("before 1", "before 2"),
                     store.since("kim", 0, 10).messages().stream().map(m -> m.text().orElseThrow()).toList());
        assertEquals(2, store.since("kim", 0, 10).lastSeq());
        assertEquals(1, store.confirmed("kim"));
        MessageStore.Accepted next = append("kim", "after");
        assertEquals(3, next.seq(), "numbering continues after a restart, never reusing a seq");
    }

    @Test
    void seqIsNeverReusedEvenWhenAllHistoryExpired() {
        store = open();
        append("lee", "gone soon");
        store.trim(Instant.now().plus(TTL).plusSeconds(5));
        store.close();
        store = open();
        assertEquals(2, append("lee", "new").seq());
    }

    @Test
    void idempotencyConversationsReadMarkersEditsAndBlocksSurviveARestart() {
        store = open();
        Draft draft = new Draft("mo", "ned", "chat", "keyed", null, null);
        MessageStore.SendKey key = new MessageStore.SendKey("k-restart", draft.fingerprint());
        MessageStore.Accepted first = store.append(draft, "keyed-id", Instant.now(), 0, Optional.of(key)).join();
        MessageStore.Accepted second = send("mo", "ned", "second");
        send("mo", "ned", "third");
        store.markRead("ned", second.id());
        store.update("mo", first.id(), Update.Action.EDIT, Optional.of("keyed, edited"), Optional.empty(),
                     Instant.now(), EDIT_WINDOW).join();
        store.update("mo", second.id(), Update.Action.DELETE, Optional.empty(), Optional.empty(), Instant.now(),
                     EDIT_WINDOW).join();
        store.block("ned", "olaf").join();
        store.close();

        store = open();
        MessageStore.Accepted repeat = store.append(draft, "other-id", Instant.now(), 0, Optional.of(key)).join();
        assertTrue(repeat.repeat(), "the key is remembered across a restart");
        assertEquals(first.id(), repeat.id());
        assertEquals(first.seq(), repeat.seq());
        List<MessageStore.Conversation> ned = store.conversations("ned", 10);
        assertEquals(1, ned.size());
        assertEquals("mo", ned.getFirst().with());
        assertEquals("third", ned.getFirst().last().text().orElseThrow());
        assertEquals(1, ned.getFirst().unread(), "the read marker survived: only 'third' is unread");
        List<Message> page = store.conversation("ned", "mo", Long.MAX_VALUE, 10).messages();
        assertEquals("keyed, edited", page.get(0).text().orElseThrow());
        assertTrue(page.get(0).edited());
        assertTrue(page.get(1).deleted());
        assertEquals(java.util.Set.of("olaf"), store.blocks("ned"));
        assertTrue(store.blockedEither("olaf", "ned"));
        assertEquals(6, send("mo", "ned", "after").seq(), "3 messages and 2 update entries came before");
    }

    @Test
    void aStoreWithTheFirstConversationLayoutKeepsItsReadMarkers() throws SQLException {
        store = open();
        MessageStore.Accepted read = send("pia", "quin", "one");
        send("pia", "quin", "two");
        send("pia", "quin", "three");
        send("rue", "quin", "hi");
        store.markRead("quin", read.id());
        store.close();
        // The layout of stores written before 2026-12-01: counters kept per message (made wrong here on purpose,
        // so the test sees that the list no longer trusts them) and an activity index.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("matchbook.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE conversations (user TEXT NOT NULL, peer TEXT NOT NULL, last_seq INTEGER NOT NULL, "
                              + "read_seq INTEGER NOT NULL DEFAULT 0, unread INTEGER NOT NULL DEFAULT 0, "
                              + "PRIMARY KEY (user, peer)) WITHOUT ROWID");
            s.execute("CREATE INDEX conversations_by_activity ON conversations (user, last_seq)");
            s.execute("INSERT INTO conversations SELECT user, peer, 0, read_seq, 99 FROM conversation_peers");
            s.execute("DROP TABLE conversation_peers");
        }

        store = open();
        List<MessageStore.Conversation> quin = store.conversations("quin", 10);
        assertEquals(List.of("rue", "pia"), quin.stream().map(MessageStore.Conversation::with).toList());
        assertEquals(List.of(1L, 2L), quin.stream().map(MessageStore.Conversation::unread).toList(),
                     "unread counted from the read marker kept in the conversion");
        assertEquals("three", quin.get(1).last().text().orElseThrow());
        send("pia", "quin", "four");
        assertEquals(3, store.conversations("quin", 10).getFirst().unread());
    }

    @Test
    void aStoreWithoutConversationRowsListsEverythingUnread() throws SQLException {
        store = open();
        send("sam", "tia", "one");
        send("sam", "tia", "two");
        send("tia", "sam", "back");
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("matchbook.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP TABLE conversation_peers");
        }

        store = open();
        List<MessageStore.Conversation> tia = store.conversations("tia", 10);
        assertEquals(1, tia.size());
        assertEquals("back", tia.getFirst().last().text().orElseThrow(), "her own copy is the newest message");
        assertEquals(2, tia.getFirst().unread());
    }

    @Test
    void aConversationPushedOutByTheLimitIsNotListedAndComesBackWithItsNextMessage() {
        store = open();
        send("uma", "val", "first");
        for (int i = 0; i < MAX_PER_USER; i++) {
            send("wes", "val", "w" + i);
        }
        assertEquals(List.of("wes"), withs(store.conversations("val", 10)),
                     "uma's only message left val's stream: the conversation is gone");
        send("uma", "val", "again");
        List<MessageStore.Conversation> val = store.conversations("val", 10);
        assertEquals(List.of("uma", "wes"), withs(val));
        assertEquals("again", val.getFirst().last().text().orElseThrow());
        assertEquals(1, val.getFirst().unread(), "only what the stream still holds is unread");
    }

    private static List<String> withs(List<MessageStore.Conversation> conversations) {
        return conversations.stream().map(MessageStore.Conversation::with).toList();
    }
}
