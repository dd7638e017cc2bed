package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryStoreTest extends MessageStoreContract {
    @Override
    MessageStore open() {
        return new MemoryStore(MAX_PER_USER, TTL, announced::add);
    }

    /**
     * The conversation index (chained through each stream, trimmed with it) against a plain model: random sends
     * between six people with streams of 12 entries, reads, and pages before every kind of seq (the conversation's
     * own, another conversation's, trimmed ones, absent).
     */
    @Test
    void conversationsListsPagesAndUnreadCountsAgreeWithAPlainModelThroughTrimming() {
        int keep = 12;
        MemoryStore memory = new MemoryStore(keep, Duration.ofDays(1), m -> { });
        List<String> people = List.of("ann", "ben", "cat", "dan", "eve", "fay");
        record Entry(long seq, String from, String to, String id) {
        }
        java.util.Map<String, List<Entry>> streams = new java.util.HashMap<>();
        java.util.Map<String, Long> readMarks = new java.util.HashMap<>();
        people.forEach(p -> streams.put(p, new ArrayList<>()));
        Random random = new Random(11);
        for (int round = 0; round < 600; round++) {
            String from = people.get(random.nextInt(6));
            String to = people.get(random.nextInt(6));
            String id = "m" + round;
            memory.append(new Draft(from, to, "chat", id, null, null), id, Instant.now(), 0, Optional.empty()).join();
            for (String owner : from.equals(to) ? List.of(to) : List.of(to, from)) {
                List<Entry> s = streams.get(owner);
                long seq = s.isEmpty() ? 1 : s.getLast().seq() + 1;
                s.add(new Entry(seq, from, to, id));
                if (s.size() > keep) {
                    s.removeFirst();
                }
            }
            if (random.nextInt(4) == 0) {
                List<Entry> s = streams.get(to);
                Entry read = s.get(random.nextInt(s.size()));
                memory.markRead(to, read.id());
                if (!read.from().equals(to)) {
                    readMarks.merge(to + "/" + read.from(), read.seq(), Math::max);
                }
            }
            String user = people.get(random.nextInt(6));
            List<Entry> stream = streams.get(user);
            // listing: most recent first, with the last message and the unread count
            List<String> expected = stream.reversed().stream()
                    .map(e -> e.from().equals(user) ? e.to() : e.from()).distinct().toList();
            List<MessageStore.Conversation> listed = memory.conversations(user, 50);
            assertEquals(expected, listed.stream().map(MessageStore.Conversation::with).toList(), "round " + round);
            for (MessageStore.Conversation c : listed) {
                List<Entry> conv = stream.stream()
                        .filter(e -> (e.from().equals(user) ? e.to() : e.from()).equals(c.with())).toList();
                assertEquals(conv.getLast().id(), c.last().id());
                long mark = readMarks.getOrDefault(user + "/" + c.with(), 0L);
                long unread = c.with().equals(user) ? 0 : conv.stream()
                        .filter(e -> e.seq() > mark && e.from().equals(c.with())).count();
                assertEquals(unread, c.unread(), user + " with " + c.with() + " round " + round);
            }
            // a page before a random seq (its own, another conversation's, trimmed, none)
            String with = people.get(random.nextInt(6));
            long last = stream.isEmpty() ? 1 : stream.getLast().seq();
            long before = random.nextInt(5) == 0 ? Long.MAX_VALUE : 1 + random.nextInt((int) last + 2);
            int limit = 1 + random.nextInt(4);
            List<Entry> older = stream.stream()
                    .filter(e -> (e.from().equals(user) ? e.to() : e.from()).equals(with) && e.seq() < before)
                    .sorted(Comparator.comparingLong(Entry::seq)).toList();
            MessageStore.Page page = memory.conversation(user, with, before, limit);
            assertEquals(older.subList(Math.max(0, older.size() - limit), older.size()).stream().map(Entry::id)
                                 .toList(), page.messages().stream().map(Message::id).toList(),
                         user + " with " + with + " before " + before + " round " + round);
            assertEquals(older.size() > limit, page.more());
        }
    }
}
