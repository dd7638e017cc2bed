package com.matchbook.realtime.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a store that keeps history on disk promises on top of {@link MessageStoreContract}: a restart loses nothing. */
abstract class DurableStoreContract extends MessageStoreContract {

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
    void aRestartShowsEveryUserTheSameStreamsConversationsCursorsAndBlocks() {
        store = open();
        List<String> people = List.of("ada", "bo", "cy", "di", "ed");
        Random random = new Random(7);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String from = people.get(random.nextInt(people.size()));
            String to = people.get(random.nextInt(people.size()));
            MessageStore.Accepted a = send(from, to, "m" + i);
            sent.add(from + "|" + a.id());
            switch (random.nextInt(6)) {
                case 0 -> store.markRead(to, a.id());
                case 1 -> store.update(from, a.id(), Update.Action.EDIT, Optional.of("m" + i + " edited"),
                                       Optional.empty(), Instant.now(), EDIT_WINDOW).join();
                case 2 -> store.confirm(to, store.since(to, 0, 1000).lastSeq() - random.nextInt(3));
                case 3 -> store.block(from, people.get(random.nextInt(people.size()))).join();
                default -> {
                }
            }
        }
        String[] deleted = sent.get(random.nextInt(sent.size())).split("\\|");
        store.update(deleted[0], deleted[1], Update.Action.DELETE, Optional.empty(), Optional.empty(), Instant.now(),
                     EDIT_WINDOW).join();
        store.unblock("ada", "bo").join();
        List<String> before = state(people);
        store.close();

        store = open();
        assertEquals(before, state(people));
        store.close();
        store = open();
        assertEquals(before, state(people), "a second restart (after a compaction, where the store has one) too");
    }

    /** Everything a user can see, as text: streams with every field, conversations, cursor, blocks. */
    private List<String> state(List<String> people) {
        List<String> out = new ArrayList<>();
        for (String p : people) {
            MessageStore.Slice slice = store.since(p, 0, 1000);
            out.add(p + " last=" + slice.lastSeq() + " first=" + slice.firstSeq() + " confirmed="
                            + store.confirmed(p) + " blocks=" + new java.util.TreeSet<>(store.blocks(p)));
            for (Message m : slice.messages()) {
                out.add(m.user() + "#" + m.seq() + " " + m.id() + " " + m.from() + ">" + m.to() + " "
                                + m.text().orElse("-") + " edited=" + m.editedAt().orElse(null) + " deleted="
                                + m.deleted() + " update=" + m.update().map(u -> u.action() + "@" + u.at()).orElse("-"));
            }
            for (MessageStore.Conversation c : store.conversations(p, 100)) {
                out.add(p + " with " + c.with() + " last=" + c.last().seq() + " unread=" + c.unread());
            }
        }
        return out;
    }
}
