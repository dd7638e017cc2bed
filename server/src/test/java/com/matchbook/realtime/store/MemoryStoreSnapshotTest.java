package com.matchbook.realtime.store;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The journal store's snapshots ({@link MemoryStore#beginSnapshot}): what one holds is the state when it began, every
 * kind of change made while it is being taken left out, whichever user it touches and in whichever order the parts
 * are taken.
 */
class MemoryStoreSnapshotTest {
    private static final Duration TTL = Duration.ofDays(1);
    private static final List<String> PEOPLE =
            List.of("ana", "ben", "cai", "dee", "eve", "fay", "gus", "hal", "ivy", "jon", "lee");

    /**
     * Each kind of change reaches users after the snapshot began (their parts were taken when it began), and a read
     * marker from before it is in it.
     */
    @Test
    void aSnapshotHoldsTheStateWhenItBeganWhateverChangesCameWhileItWasTaken() {
        MemoryStore store = new MemoryStore(4, TTL, TTL, m -> { });
        Message readBefore = send(store, "ana", "ben", "one", Optional.empty(), Instant.now());
        send(store, "ben", "ana", "two", Optional.of(new MessageStore.SendKey("k1", "f1")), Instant.now());
        store.markRead("ben", readBefore.id());
        Message toEdit = send(store, "cai", "dee", "three", Optional.empty(), Instant.now());
        Message toRead = send(store, "fay", "eve", "four", Optional.empty(), Instant.now());
        send(store, "hal", "gus", "five", Optional.empty(), Instant.now());
        send(store, "jon", "ivy", "long ago", Optional.empty(), Instant.now().minus(TTL).minus(TTL));
        send(store, "jon", "ivy", "lately", Optional.empty(), Instant.now());
        store.block("cai", "dee").join();
        String before = state(store);

        List<byte[]> parts = new ArrayList<>();
        MemoryStore.Snapshot snapshot = store.beginSnapshot();
        send(store, "ana", "ben", "six", Optional.of(new MessageStore.SendKey("k2", "f2")), Instant.now());
        store.update("cai", toEdit.id(), Update.Action.EDIT, Optional.of("three, edited"), Optional.empty(),
                     Instant.now(), Duration.ofMinutes(15)).join();
        store.markRead("eve", toRead.id());
        store.confirm("gus", 1);
        store.trim(Instant.now());
        store.block("ben", "ana").join();
        send(store, "lee", "ana", "from someone new", Optional.empty(), Instant.now());
        assertNotEquals(before, state(store), "the changes changed the store");
        store.finishSnapshot(snapshot, JournalRecord.snapshot(collect(parts)));

        MemoryStore restored = new MemoryStore(4, TTL, TTL, m -> { });
        for (byte[] part : parts) {
            JournalRecord.replay(ByteBuffer.wrap(part), restored);
        }
        assertEquals(before, state(restored));
    }

    @Test
    void aSecondSnapshotTakesEveryUserAgain() {
        MemoryStore store = new MemoryStore(4, TTL, TTL, m -> { });
        send(store, "ana", "ben", "one", Optional.empty(), Instant.now());
        store.finishSnapshot(store.beginSnapshot(), JournalRecord.snapshot(collect(new ArrayList<>())));
        send(store, "ben", "ana", "two", Optional.empty(), Instant.now());
        String now = state(store);

        List<byte[]> parts = new ArrayList<>();
        store.finishSnapshot(store.beginSnapshot(), JournalRecord.snapshot(collect(parts)));
        MemoryStore restored = new MemoryStore(4, TTL, TTL, m -> { });
        parts.forEach(p -> JournalRecord.replay(ByteBuffer.wrap(p), restored));
        assertEquals(now, state(restored));
    }

    /** Each record's payload as its own array, as a snapshot file would frame it. */
    private static JournalRecord.RecordOut collect(List<byte[]> payloads) {
        return new JournalRecord.RecordOut() {
            private ByteBuffer current;

            @Override
            public ByteBuffer begin(int maxPayload) {
                current = ByteBuffer.allocate(maxPayload);
                return current;
            }

            @Override
            public void end() {
                payloads.add(java.util.Arrays.copyOf(current.array(), current.position()));
            }
        };
    }

    private static Message send(MemoryStore store, String from, String to, String text,
                                Optional<MessageStore.SendKey> key, Instant sentAt) {
        MessageStore.Accepted a = store.append(new Draft(from, to, "chat", text, null, null),
                                               "id-" + from + "-" + text, sentAt, 0, key).join();
        return store.find(to, a.id()).orElseThrow();
    }

    /** What each person can see: streams with every field, conversations, cursor, blocks, and a key's answer. */
    private static String state(MemoryStore store) {
        StringBuilder out = new StringBuilder();
        for (String p : PEOPLE) {
            MessageStore.Slice slice = store.since(p, 0, 100);
            out.append(p).append(" last=").append(slice.lastSeq()).append(" first=").append(slice.firstSeq())
                    .append(" confirmed=").append(store.confirmed(p)).append(" blocks=")
                    .append(new TreeSet<>(store.blocks(p))).append('\n');
            for (Message m : slice.messages()) {
                out.append("  #").append(m.seq()).append(' ').append(m.id()).append(' ').append(m.text().orElse("-"))
                        .append(" edited=").append(m.editedAt().isPresent()).append(" update=")
                        .append(m.update().map(u -> u.action().toString()).orElse("-")).append('\n');
            }
            for (MessageStore.Conversation c : store.conversations(p, 100)) {
                out.append("  with ").append(c.with()).append(" last=").append(c.last().seq()).append(" unread=")
                        .append(c.unread()).append('\n');
            }
        }
        return out.toString();
    }
}
