package com.matchbook.realtime.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.matchbook.realtime.message.Message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
