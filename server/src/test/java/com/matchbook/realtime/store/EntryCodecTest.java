package com.matchbook.realtime.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.protocol.Attachment;
import com.matchbook.realtime.protocol.JsonText;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryCodecTest {
    private static final Instant SENT = Instant.parse("2026-12-01T02:03:04.123456789Z");
    private static final Instant EDITED = Instant.parse("2026-12-01T02:05:00.5Z");

    private static Message roundTrip(Message m) {
        return EntryCodec.decode(EntryCodec.encode(m), m.user(), m.seq());
    }

    private static void assertSameEntry(Message expected, Message actual) {
        assertEquals(expected.user(), actual.user());
        assertEquals(expected.seq(), actual.seq());
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.channel(), actual.channel());
        assertEquals(expected.from(), actual.from());
        assertEquals(expected.to(), actual.to());
        assertEquals(expected.text(), actual.text());
        assertEquals(expected.data(), actual.data());
        assertEquals(expected.sentAt(), actual.sentAt());
        assertEquals(expected.editedAt(), actual.editedAt());
        assertEquals(expected.deleted(), actual.deleted());
        assertEquals(expected.update(), actual.update());
        assertEquals(expected.attachment().isPresent(), actual.attachment().isPresent());
        expected.attachment().ifPresent(a -> {
            Attachment b = actual.attachment().orElseThrow();
            assertEquals(a.name(), b.name());
            assertEquals(a.contentType(), b.contentType());
            assertArrayEquals(a.bytes(), b.bytes());
        });
        assertEquals(0, actual.acceptedNanos());
    }

    /** What a string comes back as: its UTF-8 decoded (an unpaired surrogate is written as '?', as the JDK writes it). */
    private static String asStored(String s) {
        return s == null ? null : new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(40),               // written char by char
                Arbitraries.strings().all().ofMaxLength(40),                 // lone surrogates included
                Arbitraries.strings().withChars("a€😀ü\u0000\u007f\u0080").ofMaxLength(12));
    }

    /** ASCII and other strings in any mix of fields: each comes back as its UTF-8, and nothing shifts its neighbours. */
    @Property(tries = 300)
    void everyStringFieldComesBackWhateverItsCharacters(@ForAll("strings") String id, @ForAll("strings") String from,
                                                        @ForAll("strings") String to, @ForAll("strings") String text,
                                                        @ForAll boolean withChannel, @ForAll("strings") String name) {
        String channel = withChannel ? "chat-" + name : null;
        Attachment a = new Attachment(name, "text/" + to, new byte[] {1, 2, 3});
        Message m = new Message(to, 7, id, channel, from, to, text, null, a, SENT, EDITED, false, null, 0);
        Message back = roundTrip(m);
        assertEquals(asStored(id), back.id());
        assertEquals(asStored(from), back.from());
        assertEquals(asStored(to), back.to());
        assertEquals(asStored(channel), back.channel());
        assertEquals(asStored(text), back.text().orElseThrow());
        assertEquals(asStored(name), back.attachment().orElseThrow().name());
        assertEquals(asStored("text/" + to), back.attachment().orElseThrow().contentType());
        assertArrayEquals(new byte[] {1, 2, 3}, back.attachment().orElseThrow().bytes());
        assertEquals(EDITED, back.editedAt().orElseThrow());
        assertEquals(asStored(id), EntryCodec.id(EntryCodec.encode(m)));
        assertEquals(SENT, EntryCodec.sentAt(EntryCodec.encode(m)));
    }

    @Test
    void aTextMessageWithUnicodeAndDataComesBackFieldForField() {
        Message m = new Message("bob", 41, "01JDX5Q8ZJ3K4M5N6P7Q8R9STV", "chat", "ålice", "bob",
                                "€ split across bytes, 😀 and \u0000", JsonText.parse("{\"a\":[1,{\"b\":null}]}"),
                                null, SENT, null, false, null, 987);
        assertSameEntry(m, roundTrip(m));
    }

    @Test
    void anEditedADeletedAndAnAttachedMessageAndAnUpdateEntryComeBack() {
        Message edited = new Message("alice", 2, "id-2", null, "alice", "bob", "new text", null, null, SENT, EDITED,
                                     false, null, 0);
        Message deleted = new Message("bob", 3, "id-3", "chat", "alice", "bob", null, null, null, SENT, EDITED, true,
                                      null, 0);
        Message attached = new Message("bob", 4, "id-4", "chat", "alice", "bob", null, null,
                                       new Attachment("cat.png", "image/png", new byte[] {0, -1, 7, 127, -128}), SENT,
                                       null, false, null, 0);
        Message update = new Message("bob", 5, "id-2", "chat", "alice", "bob", "new text", null, null, EDITED, null,
                                     false, new Update(Update.Action.EDIT, EDITED), 0);
        Message deleteEntry = new Message("bob", 6, "id-3", "chat", "alice", "bob", null, null, null, EDITED, null,
                                          false, new Update(Update.Action.DELETE, EDITED), 0);
        for (Message m : new Message[] {edited, deleted, attached, update, deleteEntry}) {
            assertSameEntry(m, roundTrip(m));
        }
        assertNull(roundTrip(edited).channel());
        assertTrue(EntryCodec.isUpdate(EntryCodec.encode(update)));
        assertFalse(EntryCodec.isUpdate(EntryCodec.encode(edited)));
    }

    @Test
    void theSenderCopyDecodesFromTheSameArrayUnderItsOwnUserAndSeq() {
        Message toBob = new Message("id-9", 12, "chat", "alice", "bob", "hi", null, null, SENT, 5);
        byte[] shared = EntryCodec.encode(toBob);
        Message copy = toBob.copyFor("alice", 3);
        assertArrayEquals(shared, EntryCodec.encode(copy));
        assertSameEntry(copy, EntryCodec.decode(shared, "alice", 3));
        assertTrue(EntryCodec.decode(shared, "alice", 3).ownCopy());
        assertFalse(EntryCodec.decode(shared, "bob", 12).ownCopy());
    }

    @Test
    void idAndFromAreReadWithoutDecodingTheRest() {
        byte[] e = EntryCodec.encode(new Message("id-ü", 1, "chat", "ålice", "bob", "x", null, null, SENT, 0));
        assertTrue(EntryCodec.hasId(e, "id-ü".getBytes(StandardCharsets.UTF_8)));
        assertFalse(EntryCodec.hasId(e, "id-u".getBytes(StandardCharsets.UTF_8)));
        assertFalse(EntryCodec.hasId(e, "id-ü1".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ålice", EntryCodec.from(e));
        assertEquals("id-ü", EntryCodec.id(e));
    }

    @Test
    void sentAtIsReadWithoutDecodingTheRestWithOrWithoutAChannel() {
        Instant sent = Instant.parse("2026-11-26T10:15:30.123456789Z");
        Message withChannel = new Message("id-1", 1, "chat", "ålice", "bob", "x", null, null, sent, 0);
        Message withoutChannel = new Message("alice", 2, "id-2", null, "alice", "bob", "y", null, null, sent, EDITED,
                                             false, null, 0);
        Message update = new Message("bob", 5, "id-2", "chat", "alice", "bob", null, null, null, EDITED, null,
                                     false, new Update(Update.Action.DELETE, EDITED), 0);
        assertEquals(sent, EntryCodec.sentAt(EntryCodec.encode(withChannel)));
        assertEquals(sent, EntryCodec.sentAt(EntryCodec.encode(withoutChannel)), "the edit time is not the send time");
        assertEquals(EDITED, EntryCodec.sentAt(EntryCodec.encode(update)));
    }
}
