package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;

/** History in the heap: for tests and benchmarks. Forgets everything on restart. */
public final class MemoryStore implements MessageStore {
    private final ConcurrentHashMap<String, UserLog> users = new ConcurrentHashMap<>();
    private final int maxPerUser;
    private final Duration ttl;
    private final StoredListener listener;

    public MemoryStore(int maxPerUser, Duration ttl, StoredListener listener) {
        this.maxPerUser = maxPerUser;
        this.ttl = ttl;
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Message> append(Draft draft, String id, Instant sentAt, long acceptedNanos) {
        UserLog log = users.computeIfAbsent(draft.to(), u -> new UserLog());
        Message message;
        synchronized (log) {
            message = new Message(id, log.lastSeq + 1, draft, sentAt, acceptedNanos);
            log.lastSeq = message.seq();
            log.messages.addLast(message);
            if (log.messages.size() > maxPerUser) {
                log.messages.removeFirst();
            }
            // Under the lock: this is what keeps live delivery in seq order for concurrent senders.
            listener.stored(message);
        }
        return CompletableFuture.completedFuture(message);
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        UserLog log = users.get(user);
        if (log == null) {
            return new Slice(List.of(), 0, 1);
        }
        synchronized (log) {
            List<Message> out = new ArrayList<>(Math.min(limit, log.messages.size()));
            for (Message m : log.messages) {
                if (m.seq() > afterSeq) {
                    out.add(m);
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            long first = log.messages.isEmpty() ? log.lastSeq + 1 : log.messages.peekFirst().seq();
            return new Slice(out, log.lastSeq, first);
        }
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        UserLog log = users.get(user);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            return log.messages.stream().filter(m -> m.id().equals(messageId)).findFirst();
        }
    }

    @Override
    public long confirmed(String user) {
        UserLog log = users.get(user);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.confirmed;
        }
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        UserLog log = users.get(user);
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            long target = Math.min(seq, log.lastSeq);
            if (target <= log.confirmed) {
                return Optional.empty();
            }
            long previous = log.confirmed;
            log.confirmed = target;
            return Optional.of(previous);
        }
    }

    @Override
    public void trim(Instant now) {
        Instant oldest = now.minus(ttl);
        for (UserLog log : users.values()) {
            synchronized (log) {
                while (!log.messages.isEmpty() && log.messages.peekFirst().sentAt().isBefore(oldest)) {
                    log.messages.removeFirst();
                }
            }
        }
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public void close() {
    }

    private static final class UserLog {
        private final ArrayDeque<Message> messages = new ArrayDeque<>();
        private long lastSeq;
        private long confirmed;
    }
}
