package com.matchbook.bench.engines;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore (a copy-on-write B-tree that appends changed pages to the end of its file in chunks, one per
 * commit). One {@link MVStore#commit()} plus {@link MVStore#sync()} (fsync) per batch; auto-commit off, so a
 * batch is written whole or not at all. Keys are strings that sort like the SQLite indexes (seqs as 16 hex
 * digits).
 */
final class MvStoreEngine implements Engine {
    private MVStore store;
    private MVMap<String, byte[]> stream;
    private MVMap<String, byte[]> pages;
    private MVMap<String, Long> ids;
    private MVMap<String, byte[]> conversations;
    private MVMap<String, byte[]> activity;

    @Override
    public String name() {
        return "mvstore";
    }

    @Override
    public void open(Path dir) {
        store = new MVStore.Builder().fileName(dir.resolve("messages.mv").toString()).autoCommitDisabled().open();
        stream = store.openMap("stream");
        pages = store.openMap("pages");
        ids = store.openMap("ids");
        conversations = store.openMap("conversations");
        activity = store.openMap("activity");
    }

    @Override
    public void commit(List<Entry> batch) {
        byte[] none = new byte[0];
        for (Entry e : batch) {
            stream.put(e.user() + '\0' + hex(e.seq()), Keys.value(e));
            pages.put(e.user() + '\0' + e.peer() + '\0' + hex(e.seq()), none);
            ids.put(e.id() + '\0' + e.user(), e.seq());
            String key = e.user() + '\0' + e.peer();
            byte[] row = conversations.get(key);
            long last = 0;
            long unread = 0;
            if (row != null) {
                last = ByteBuffer.wrap(row).getLong(0);
                unread = ByteBuffer.wrap(row).getLong(8);
                activity.remove(e.user() + '\0' + hex(last) + e.peer());
            }
            last = Math.max(last, e.seq());
            conversations.put(key, Keys.conversationRow(last, unread + e.unread()));
            activity.put(e.user() + '\0' + hex(last) + e.peer(), none);
        }
        store.commit();
        store.sync();
    }

    @Override
    public void settle() {
    }

    @Override
    public long entries(String user) {
        String from = user + '\0';
        String to = user + '\u0001';
        long n = 0;
        var it = stream.keyIterator(from);
        while (it.hasNext() && it.next().compareTo(to) < 0) {
            n++;
        }
        return n;
    }

    private static String hex(long seq) {
        String h = Long.toHexString(seq);
        return "0".repeat(16 - h.length()) + h;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
