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

class SqliteStoreTest extends DurableStoreContract {
    @TempDir
    Path dir;

    @Override
    MessageStore open() {
        return new SqliteStore(dir, MAX_PER_USER, TTL, announced::add);
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
