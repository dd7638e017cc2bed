package com.matchbook.realtime.store;

import java.nio.file.Path;
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
}
