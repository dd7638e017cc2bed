package com.matchbook.realtime.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

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
