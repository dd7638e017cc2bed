package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.support.Eventually;

import jakarta.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every store promises, run against each implementation. */
abstract class MessageStoreContract {
    protected static final int MAX_PER_USER = 5;
    protected static final Duration TTL = Duration.ofHours(1);
    /** The idempotency TTL {@link #open()} must give the store. */
    protected static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);
    protected static final Duration EDIT_WINDOW = Duration.ofMinutes(15);

    protected final List<Message> announced = Collections.synchronizedList(new ArrayList<>());
    protected MessageStore store;

    /**
     * A store with {@link #MAX_PER_USER}, {@link #TTL} and {@link #IDEMPOTENCY_TTL}, announcing to {@link #announced}.
     */
    abstract MessageStore open();

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected MessageStore.Accepted append(String to, String text) {
        return send("sender", to, text);
    }

    protected MessageStore.Accepted send(String from, String to, String text) {
        return store.append(new Draft(from, to, "chat", text, null, null), "id-" + from + "-" + to + "-" + text,
                            Instant.now(), System.nanoTime(), Optional.empty()).join();
    }

    /** What was announced for one user's stream, in announcement order. */
    protected List<Message> announcedTo(String user) {
        synchronized (announced) {
            return announced.stream().filter(m -> m.user().equals(user)).toList();
        }
    }

    @Test
    void seqStartsAtOneAndRisesByOnePerRecipient() {
        store = open();
        assertEquals(1, append("ann", "a1").seq());
        assertEquals(2, append("ann", "a2").seq());
        assertEquals(1, append("ben", "b1").seq());
        assertEquals(3, append("ann", "a3").seq());
    }

    @Test
    void everyMessageIsAnnouncedOnceBeforeItsFutureCompletes() {
        store = open();
        MessageStore.Accepted m = append("cat", "hello");
        assertEquals(List.of(m.id()), announcedTo("cat").stream().map(Message::id).toList());
        assertEquals(List.of(m.id()), announcedTo("sender").stream().map(Message::id).toList(),
                     "the sender's copy is announced too");
    }

    @Test
    void sinceReturnsLaterMessagesInOrderWithinTheLimit() {
        store = open();
        for (int i = 1; i <= 4; i++) {
            append("dan", "m" + i);
        }
        MessageStore.Slice slice = store.since("dan", 1, 2);
        assertEquals(List.of(2L, 3L), slice.messages().stream().map(Message::seq).toList());
        assertEquals("m2", slice.messages().getFirst().text().orElseThrow());
        assertEquals(4, slice.lastSeq());
        assertEquals(1, slice.firstSeq());
        assertTrue(slice.completeAfter(0));
        assertEquals(List.of(), store.since("dan", 4, 10).messages());
        MessageStore.Slice nobody = store.since("nobody", 0, 10);
        assertEquals(0, nobody.lastSeq());
        assertTrue(nobody.completeAfter(0));
    }

    @Test
    void historyKeepsTheNewestMaxPerUser() {
        store = open();
        for (int i = 1; i <= MAX_PER_USER + 2; i++) {
            append("eve", "m" + i);
        }
        MessageStore.Slice slice = eventuallySlice("eve", MAX_PER_USER);
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), slice.messages().stream().map(Message::seq).toList());
        assertFalse(slice.completeAfter(0), "seq 1 is gone: a replay from 0 is incomplete");
        assertFalse(slice.completeAfter(1));
        assertTrue(slice.completeAfter(2), "seq 3 is still there");
        assertEquals(8, append("eve", "m8").seq(), "trimming never makes a seq come back");
    }

    @Test
    void trimDropsWhatIsOlderThanTheTtl() {
        store = open();
        append("fay", "old");
        store.trim(Instant.now().plus(TTL).plusSeconds(1));
        MessageStore.Slice slice = eventuallySlice("fay", 0);
        assertEquals(1, slice.lastSeq());
        assertFalse(slice.completeAfter(0));
        assertEquals(2, append("fay", "new").seq());
    }

    @Test
    void messagesKeepEveryField() {
        store = open();
        Instant sent = Instant.parse("2026-11-26T10:15:30.123456Z");
        byte[] payload = {0, 1, 2, (byte) 255};
        MessageStore.Accepted stored = store.append(new Draft("gus", "hal", "files", null,
                                                              Json.createObjectBuilder().add("k", 1).build(),
                                                              new Attachment("a.bin", "application/x-test", payload)),
                                                    "file-id", sent, 0, Optional.empty()).join();
        Message read = store.since("hal", 0, 10).messages().getFirst();
        assertEquals(stored.id(), read.id());
        assertEquals("gus", read.from());
        assertEquals("hal", read.to());
        assertEquals("files", read.channel());
        assertEquals(sent, read.sentAt());
        assertEquals(1, read.data().orElseThrow().asJsonObject().getInt("k"));
        assertEquals("a.bin", read.attachment().orElseThrow().name());
        assertArrayEquals(payload, read.attachment().orElseThrow().bytes());
        assertEquals("file-id", store.find("hal", "file-id").orElseThrow().id());
        assertTrue(store.find("hal", "no-such-id").isEmpty());
        assertTrue(store.find("someone-else", "file-id").isEmpty(), "history is per user");
    }

    @Test
    void confirmedOnlyRisesAndNeverPassesLastSeq() {
        store = open();
        append("ida", "1");
        append("ida", "2");
        assertEquals(0, store.confirmed("ida"));
        assertEquals(0L, store.confirm("ida", 1).orElseThrow());
        assertTrue(store.confirm("ida", 1).isEmpty(), "same seq: nothing changes");
        assertTrue(store.confirm("ida", 0).isEmpty(), "never lowered");
        assertEquals(1L, store.confirm("ida", 99).orElseThrow());
        assertEquals(2, store.confirmed("ida"), "capped at lastSeq");
    }

    @Test
    void concurrentSendersGetUniqueGapFreeSeqsAnnouncedInOrder() throws Exception {
        store = open();
        int threads = 8;
        int each = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<MessageStore.Accepted>> all = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                for (int i = 0; i < each; i++) {
                    all.add(store.append(new Draft("s" + thread, "jon", "chat", thread + ":" + i, null, null),
                                         "c-" + thread + "-" + i, Instant.now(), 0, Optional.empty()));
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        List<Long> seqs = all.stream().map(f -> f.join().seq()).sorted().toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i));
        }
        for (String user : List.of("jon", "s0", "s7")) {
            List<Long> order = announcedTo(user).stream().map(Message::seq).toList();
            assertEquals(user.equals("jon") ? threads * each : each, order.size(), user);
            for (int i = 0; i < order.size(); i++) {
                assertEquals(i + 1, order.get(i), user + "'s stream announced out of order at " + i);
            }
        }
    }

    // ---- Conversations (1.1): sender copies, the conversation index, read markers -------------------------------

    @Test
    void aMessageGoesIntoBothStreamsWithTheSameIdAndEachUsersNextSeq() {
        store = open();
        send("zed", "amy", "earlier, to amy");
        MessageStore.Accepted a = send("amy", "bo", "hi bo");
        assertEquals(1, a.seq(), "the answer carries the recipient's seq");
        Message inBo = store.find("bo", a.id()).orElseThrow();
        Message inAmy = store.find("amy", a.id()).orElseThrow();
        assertEquals(1, inBo.seq());
        assertEquals(2, inAmy.seq(), "the sender's copy takes the sender's next seq");
        assertEquals("amy", inAmy.from());
        assertEquals("bo", inAmy.to());
        assertEquals("hi bo", inAmy.text().orElseThrow());
        assertEquals("amy", inAmy.user());
        assertTrue(inAmy.ownCopy());
        assertFalse(inBo.ownCopy());
        assertEquals(List.of(1L, 2L), store.since("amy", 0, 10).messages().stream().map(Message::seq).toList());
        assertEquals(List.of(2L), announcedTo("amy").stream().filter(m -> m.id().equals(a.id()))
                .map(Message::seq).toList());
    }

    @Test
    void aNoteToSelfIsStoredOnce() {
        store = open();
        MessageStore.Accepted a = send("cy", "cy", "note");
        assertEquals(1, a.seq());
        assertEquals(1, store.since("cy", 0, 10).messages().size());
        assertEquals(1, announcedTo("cy").size());
        assertEquals(2, send("cy", "cy", "another").seq());
    }

    @Test
    void conversationsComeMostRecentFirstWithTheirLastMessageAndUnreadCount() {
        store = open();
        send("bob", "ann", "b1");
        send("ann", "bob", "a1");
        send("bob", "ann", "b2");
        send("cat", "ann", "c2");
        send("ann", "dan", "a2");
        List<MessageStore.Conversation> list = store.conversations("ann", 10);
        assertEquals(List.of("dan", "cat", "bob"), list.stream().map(MessageStore.Conversation::with).toList());
        assertEquals("a2", list.get(0).last().text().orElseThrow());
        assertEquals("c2", list.get(1).last().text().orElseThrow());
        assertEquals(List.of(0L, 1L, 2L), list.stream().map(MessageStore.Conversation::unread).toList(),
                     "unread counts only the other's messages");
        assertEquals(List.of("dan", "cat"),
                     store.conversations("ann", 2).stream().map(MessageStore.Conversation::with).toList());
        assertEquals(List.of("ann"),
                     store.conversations("bob", 10).stream().map(MessageStore.Conversation::with).toList());
        assertEquals(List.of(), store.conversations("nobody", 10));
    }

    @Test
    void readIsCumulativeWithinTheConversationAndNeverLowered() {
        store = open();
        MessageStore.Accepted b1 = send("bob", "eli", "b1");
        send("cat", "eli", "c1");
        MessageStore.Accepted b2 = send("bob", "eli", "b2");
        send("bob", "eli", "b3");
        assertEquals(3, unread("eli", "bob"));
        Message read = store.markRead("eli", b2.id()).orElseThrow();
        assertEquals("bob", read.from());
        assertEquals(1, unread("eli", "bob"), "b2 and the earlier b1 are read");
        assertEquals(1, unread("eli", "cat"), "another conversation keeps its own marker");
        store.markRead("eli", b1.id());
        assertEquals(1, unread("eli", "bob"), "reading an older message never lowers the marker");
        assertTrue(store.markRead("eli", "no-such-id").isEmpty());
        send("bob", "eli", "b4");
        assertEquals(2, unread("eli", "bob"));
        MessageStore.Accepted own = send("eli", "bob", "mine");
        Message copy = store.markRead("eli", own.id()).orElseThrow();
        assertTrue(copy.ownCopy(), "reading one's own copy finds it (and the caller sends no receipt)");
    }

    @Test
    void aConversationPageIsTheNewestBeforeASeqOldestFirst() {
        store = open();
        send("fox", "gil", "f1");
        send("gil", "fox", "g1");
        send("hue", "gil", "h1");
        send("fox", "gil", "f2");
        send("gil", "fox", "g2");
        MessageStore.Page newest = store.conversation("gil", "fox", Long.MAX_VALUE, 3);
        assertEquals(List.of("g1", "f2", "g2"), texts(newest.messages()));
        assertTrue(newest.more());
        long oldestSeq = newest.messages().getFirst().seq();
        MessageStore.Page older = store.conversation("gil", "fox", oldestSeq, 100);
        assertEquals(List.of("f1"), texts(older.messages()));
        assertFalse(older.more());
        List<Long> seqs = store.conversation("gil", "fox", Long.MAX_VALUE, 10).messages().stream()
                .map(Message::seq).toList();
        assertEquals(List.of(1L, 2L, 4L, 5L), seqs, "gil's stream seqs, oldest first");
        assertEquals(List.of("f1", "g1", "f2", "g2"),
                     texts(store.conversation("fox", "gil", Long.MAX_VALUE, 50).messages()),
                     "the other side holds the same conversation");
        assertEquals(new MessageStore.Page(List.of(), false), store.conversation("gil", "nobody", Long.MAX_VALUE, 5));
    }

    @Test
    void aConversationWhoseMessagesExpiredIsNoLongerListed() {
        store = open();
        send("ivy", "jay", "old");
        store.trim(Instant.now().plus(TTL).plusSeconds(1));
        Eventually.value("jay's conversations empty", () -> store.conversations("jay", 10), List::isEmpty);
        assertEquals(List.of(), store.conversation("jay", "ivy", Long.MAX_VALUE, 10).messages());
    }

    // ---- Idempotent sends (1.1) -------------------------------------------------------------------------------

    @Test
    void aRepeatedKeyGetsTheFirstAnswerAndStoresNothing() {
        store = open();
        Draft draft = new Draft("kay", "lou", "chat", "once", null, null);
        MessageStore.SendKey key = new MessageStore.SendKey("k-1", draft.fingerprint());
        MessageStore.Accepted first = store.append(draft, "first-id", Instant.now(), 0, Optional.of(key)).join();
        int announcedBefore = announced.size();
        MessageStore.Accepted again = store.append(draft, "second-id", Instant.now(), 0, Optional.of(key)).join();
        assertFalse(first.repeat());
        assertTrue(again.repeat());
        assertEquals(first.id(), again.id());
        assertEquals(first.seq(), again.seq());
        assertEquals(announcedBefore, announced.size(), "nothing announced twice");
        assertEquals(1, store.since("lou", 0, 10).messages().size());
        assertEquals(1, store.since("kay", 0, 10).messages().size());
        assertEquals(2, send("kay", "lou", "next").seq(), "no seq was used by the repeat");
    }

    @Test
    void repeatOfGivesTheFirstAnswerWithoutWritingAndNothingForAnUnknownOrExpiredKey() {
        store = open();
        Draft draft = new Draft("ria", "sol", "chat", "kept", null, null);
        MessageStore.SendKey key = new MessageStore.SendKey("r-1", draft.fingerprint());
        assertEquals(Optional.empty(), store.repeatOf("ria", key, Instant.now()), "never sent");
        MessageStore.Accepted first = store.append(draft, "r-id", Instant.now(), 0, Optional.of(key)).join();
        int announcedBefore = announced.size();
        MessageStore.Accepted again = Eventually.value("the record readable", () -> store.repeatOf("ria", key,
                                                                                                     Instant.now()),
                                                       Optional::isPresent).orElseThrow();
        assertEquals(first.id(), again.id());
        assertEquals(first.seq(), again.seq());
        assertTrue(again.repeat());
        assertEquals(announcedBefore, announced.size(), "nothing written or announced");
        assertEquals(Optional.empty(), store.repeatOf("sol", key, Instant.now()), "another sender's key");
        Draft old = new Draft("ria", "sol", "chat", "long ago", null, null);
        MessageStore.SendKey oldKey = new MessageStore.SendKey("r-0", old.fingerprint());
        store.append(old, "r-old", Instant.now().minus(IDEMPOTENCY_TTL).minusSeconds(60), 0, Optional.of(oldKey)).join();
        assertEquals(Optional.empty(), store.repeatOf("ria", oldKey, Instant.now()), "expired a TTL after its sentAt");
        Draft other = new Draft("ria", "sol", "chat", "changed", null, null);
        StoreRefusal reused = assertThrows(StoreRefusal.class, () -> store.repeatOf(
                "ria", new MessageStore.SendKey("r-1", other.fingerprint()), Instant.now()));
        assertEquals(StoreRefusal.KEY_REUSED, reused.code());
    }

    @Test
    void aRepeatedKeyWithOtherContentIsRefused() {
        store = open();
        Draft draft = new Draft("max", "ned", "chat", "one thing", null, null);
        Draft other = new Draft("max", "ned", "chat", "another thing", null, null);
        store.append(draft, "m-1", Instant.now(), 0, Optional.of(new MessageStore.SendKey("k", draft.fingerprint())))
                .join();
        CompletableFuture<MessageStore.Accepted> reused =
                store.append(other, "m-2", Instant.now(), 0,
                             Optional.of(new MessageStore.SendKey("k", other.fingerprint())));
        assertEquals(StoreRefusal.KEY_REUSED, refusal(reused).code());
        assertEquals(422, refusal(reused).status());
        assertEquals(1, store.since("ned", 0, 10).messages().size());
    }

    @Test
    void keysBelongToTheirSenderAndExpireAfterTheTtlFromSentAt() {
        store = open();
        Draft fromOli = new Draft("oli", "pat", "chat", "same", null, null);
        Draft fromQin = new Draft("qin", "pat", "chat", "same", null, null);
        Instant longAgo = Instant.now().minus(IDEMPOTENCY_TTL).minusSeconds(60);
        store.append(fromOli, "o-1", longAgo, 0, Optional.of(new MessageStore.SendKey("k", fromOli.fingerprint())))
                .join();
        MessageStore.Accepted qin = store.append(fromQin, "q-1", Instant.now(), 0,
                                                 Optional.of(new MessageStore.SendKey("k", fromQin.fingerprint())))
                .join();
        assertFalse(qin.repeat(), "another sender's key is another key");
        MessageStore.Accepted later = store.append(fromOli, "o-2", Instant.now(), 0,
                                                   Optional.of(new MessageStore.SendKey("k", fromOli.fingerprint())))
                .join();
        assertFalse(later.repeat(), "the record expired " + IDEMPOTENCY_TTL + " after the first send");
        assertEquals("o-2", later.id());
    }

    @Test
    void concurrentSendsWithOneKeyStoreTheMessageOnce() throws Exception {
        store = open();
        Draft draft = new Draft("ray", "sue", "chat", "racy", null, null);
        MessageStore.SendKey key = new MessageStore.SendKey("race", draft.fingerprint());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<MessageStore.Accepted>> all = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 16; i++) {
            int n = i;
            pool.execute(() -> all.add(store.append(draft, "race-" + n, Instant.now(), 0, Optional.of(key))));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(1, all.stream().map(f -> f.join().id()).distinct().count());
        assertEquals(1, all.stream().filter(f -> !f.join().repeat()).count());
        assertEquals(1, store.since("sue", 0, 100).messages().size());
        assertEquals(1, store.since("ray", 0, 100).messages().size());
    }

    // ---- Edit and delete (1.1) --------------------------------------------------------------------------------

    @Test
    void anEditChangesEveryCopyAndAppendsAnUpdateToBothStreams() {
        store = open();
        MessageStore.Accepted m = send("tim", "uma", "helo");
        send("uma", "tim", "reply");
        Instant at = Instant.now();
        Message latest = store.update("tim", m.id(), Update.Action.EDIT, Optional.of("hello"), Optional.empty(), at,
                                      EDIT_WINDOW).join();
        assertEquals("hello", latest.text().orElseThrow());
        assertEquals("tim", latest.user(), "the author's copy is the answer");
        assertTrue(latest.edited());
        for (String user : List.of("tim", "uma")) {
            Message copy = store.find(user, m.id()).orElseThrow();
            assertEquals("hello", copy.text().orElseThrow(), user);
            assertTrue(copy.edited(), user);
            List<Message> stream = store.since(user, 0, 10).messages();
            Message entry = stream.getLast();
            assertEquals(3, entry.seq(), user + ": the update has its own seq");
            assertEquals(Update.Action.EDIT, entry.update().orElseThrow().action());
            assertEquals(m.id(), entry.id());
            assertEquals("tim", entry.from());
            assertEquals("uma", entry.to());
            assertEquals("hello", entry.text().orElseThrow());
            assertEquals("hello", stream.getFirst().text().orElseThrow(), user + ": history gives the latest version");
            assertEquals(entry.seq(), announcedTo(user).getLast().seq(), user + ": the update is announced");
        }
        assertEquals(List.of("hello", "reply"), texts(store.conversation("uma", "tim", Long.MAX_VALUE, 10).messages()),
                     "pages hold messages only, in their latest version");
        assertEquals("reply", store.conversations("tim", 1).getFirst().last().text().orElseThrow(),
                     "an update is not new activity");
    }

    @Test
    void onlyTheAuthorMayEditOrDeleteAndOnlyWithinTheWindowForEdits() {
        store = open();
        Instant longAgo = Instant.now().minus(EDIT_WINDOW).minusSeconds(1);
        store.append(new Draft("val", "wes", "chat", "old", null, null), "old-id", longAgo, 0, Optional.empty())
                .join();
        MessageStore.Accepted fresh = send("val", "wes", "fresh");
        assertEquals(StoreRefusal.EDIT_WINDOW_CLOSED, refusal(store.update("val", "old-id", Update.Action.EDIT,
                Optional.of("x"), Optional.empty(), Instant.now(), EDIT_WINDOW)).code());
        assertEquals(403, refusal(store.update("val", "old-id", Update.Action.EDIT,
                Optional.of("x"), Optional.empty(), Instant.now(), EDIT_WINDOW)).status());
        assertEquals(StoreRefusal.NOT_FOUND, refusal(store.update("wes", fresh.id(), Update.Action.EDIT,
                Optional.of("x"), Optional.empty(), Instant.now(), EDIT_WINDOW)).code(), "not the author");
        assertEquals(StoreRefusal.NOT_FOUND, refusal(store.update("wes", fresh.id(), Update.Action.DELETE,
                Optional.empty(), Optional.empty(), Instant.now(), EDIT_WINDOW)).code(), "not the author");
        assertEquals(404, refusal(store.update("val", "no-such-id", Update.Action.DELETE,
                Optional.empty(), Optional.empty(), Instant.now(), EDIT_WINDOW)).status());
        assertEquals("fresh", store.find("wes", fresh.id()).orElseThrow().text().orElseThrow());
        assertEquals(2, store.since("wes", 0, 10).lastSeq(), "refusals append nothing");
        Message deleted = store.update("val", "old-id", Update.Action.DELETE, Optional.empty(), Optional.empty(),
                                       Instant.now(), EDIT_WINDOW).join();
        assertTrue(deleted.deleted(), "a delete is allowed whenever");
    }

    @Test
    void aDeleteRemovesTheContentEverywhereOnceAndForAll() {
        store = open();
        byte[] payload = {9, 8, 7};
        MessageStore.Accepted m = store.append(new Draft("xia", "yul", "chat", "secret",
                                                         Json.createObjectBuilder().add("s", 1).build(),
                                                         new Attachment("s.bin", "application/x-test", payload)),
                                               "del-id", Instant.now(), 0, Optional.empty()).join();
        store.update("xia", m.id(), Update.Action.EDIT, Optional.of("secret 2"), Optional.empty(), Instant.now(),
                     EDIT_WINDOW).join();
        Message gone = store.update("xia", m.id(), Update.Action.DELETE, Optional.empty(), Optional.empty(),
                                    Instant.now(), EDIT_WINDOW).join();
        assertTrue(gone.deleted());
        for (String user : List.of("xia", "yul")) {
            List<Message> stream = store.since(user, 0, 10).messages();
            assertEquals(3, stream.size(), user + ": message, edit, delete");
            for (Message entry : stream) {
                assertTrue(entry.text().isEmpty(), user + " seq " + entry.seq() + " still has text");
                assertTrue(entry.data().isEmpty(), user + " seq " + entry.seq() + " still has data");
                assertTrue(entry.attachment().isEmpty(), user + " seq " + entry.seq() + " still has the file");
            }
            assertTrue(stream.getFirst().deleted());
            assertEquals(Update.Action.DELETE, stream.getLast().update().orElseThrow().action());
            assertTrue(store.find(user, m.id()).orElseThrow().deleted());
            assertTrue(store.conversation(user, user.equals("xia") ? "yul" : "xia", Long.MAX_VALUE, 5)
                               .messages().getFirst().deleted());
        }
        Message again = store.update("xia", m.id(), Update.Action.DELETE, Optional.empty(), Optional.empty(),
                                     Instant.now(), EDIT_WINDOW).join();
        assertTrue(again.deleted());
        assertEquals(3, store.since("yul", 0, 10).lastSeq(), "deleting twice appends nothing");
        assertEquals(StoreRefusal.NOT_FOUND, refusal(store.update("xia", m.id(), Update.Action.EDIT,
                Optional.of("back"), Optional.empty(), Instant.now(), EDIT_WINDOW)).code(), "a deleted message stays");
    }

    // ---- Blocking (1.1) -------------------------------------------------------------------------------------------

    @Test
    void blocksAreListedPerUserAndCountInEitherDirection() {
        store = open();
        store.block("zoe", "abe").join();
        store.block("zoe", "abe").join();
        store.block("zoe", "bea").join();
        assertEquals(java.util.Set.of("abe", "bea"), store.blocks("zoe"));
        assertTrue(store.blockedEither("zoe", "abe"));
        assertTrue(store.blockedEither("abe", "zoe"), "either direction");
        assertFalse(store.blockedEither("abe", "bea"));
        assertEquals(java.util.Set.of(), store.blocks("abe"));
        store.unblock("zoe", "abe").join();
        store.unblock("zoe", "nobody").join();
        assertEquals(java.util.Set.of("bea"), store.blocks("zoe"));
        assertFalse(store.blockedEither("abe", "zoe"));
    }

    private long unread(String user, String with) {
        return store.conversations(user, 200).stream().filter(c -> c.with().equals(with)).findFirst()
                .orElseThrow(() -> new AssertionError(user + " has no conversation with " + with)).unread();
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(m -> m.text().orElse("(none)")).toList();
    }

    /** The refusal a future failed with; fails the test when it completed or failed otherwise. */
    protected static StoreRefusal refusal(CompletableFuture<?> future) {
        try {
            Object value = future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("expected a refusal, got " + value);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StoreRefusal r) {
                return r;
            }
            throw new AssertionError("expected a refusal", e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    /** Trimming may run behind the write (disk store): wait for it with a deadline, and fail when it passes. */
    private MessageStore.Slice eventuallySlice(String user, int size) {
        return Eventually.value(user + "'s history holds " + size + " messages", () -> store.since(user, 0, 100),
                                s -> s.messages().size() == size);
    }
}
