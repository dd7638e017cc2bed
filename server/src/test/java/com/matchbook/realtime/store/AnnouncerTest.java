package com.matchbook.realtime.store;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The disk store's announcer: one listener failure costs neither an ack nor later announcements. */
class AnnouncerTest {

    private static Write append(long seq) {
        Message m = new Message("id" + seq, seq, new Draft("s", "bob", "chat", "m" + seq, null, null), Instant.now(), 0);
        return new Write.Append(List.of(m), null, new CompletableFuture<>());
    }

    @Test
    void aListenerThatThrowsStillLetsEveryMessageBeAckedAndAnnounced() throws Exception {
        List<Long> heard = new CopyOnWriteArrayList<>();
        Write first = append(1);
        Write second = append(2);
        Write third = append(3);
        try (Announcer announcer = new Announcer(m -> {
            heard.add(m.seq());
            if (m.seq() == 1) {
                throw new IllegalStateException("a listener bug");
            }
        })) {
            announcer.committed(List.of(first, second));
            announcer.committed(List.of(third));
            first.done().get(10, TimeUnit.SECONDS);
            second.done().get(10, TimeUnit.SECONDS);
            third.done().get(10, TimeUnit.SECONDS);
            assertTrue(first.done().isDone() && !first.done().isCompletedExceptionally(),
                       "the failed one is acked: it is on disk");
        }
        assertEquals(List.of(1L, 2L, 3L), heard, "later messages and batches are announced too");
    }
}
