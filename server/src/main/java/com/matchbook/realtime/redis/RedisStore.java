package com.matchbook.realtime.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreUnavailableException;

import jakarta.json.JsonValue;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.Tuple;

/**
 * History and numbering in Redis, shared by every node. Fan-out is part of the append script (see
 * {@link RedisScripts#APPEND}), so the stored-listener of the interface is not used: every node, this one included,
 * gets the message from its subscription.
 *
 * <p>Durability is Redis's: with {@code appendonly yes} and {@code appendfsync always} an acknowledged message
 * survives a Redis crash; with {@code everysec}, up to a second of them may not.
 */
public final class RedisStore implements MessageStore {
    private final UnifiedJedis redis;
    private final int maxPerUser;
    private final Duration ttl;
    private volatile boolean healthy = true;

    public RedisStore(UnifiedJedis redis, int maxPerUser, Duration ttl) {
        this.redis = redis;
        this.maxPerUser = maxPerUser;
        this.ttl = ttl;
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        String json = RedisCodec.encode(draft, id, sentAt);
        String to = draft.to();
        try {
            Object seq = RedisScripts.run(redis, RedisScripts.APPEND,
                                          List.of(RedisKeys.seq(to), RedisKeys.messages(to), RedisKeys.times(to),
                                                  RedisKeys.nodes(to)),
                                          List.of(json, Long.toString(sentAt.toEpochMilli()),
                                                  Integer.toString(maxPerUser), Long.toString(ttl.toMillis()),
                                                  Long.toString(System.currentTimeMillis())));
            healthy = true;
            return CompletableFuture.completedFuture(new Accepted(id, (Long) seq, false));
        } catch (JedisException e) {
            healthy = false;
            return CompletableFuture.failedFuture(new StoreUnavailableException("Redis did not take the message", e));
        }
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return call(() -> {
            List<String> members = redis.zrangeByScore(RedisKeys.messages(user), "(" + afterSeq, "+inf", 0, limit);
            List<Message> out = new ArrayList<>(members.size());
            for (String m : members) {
                out.add(RedisCodec.decode(m));
            }
            long last = parseLong(redis.get(RedisKeys.seq(user)));
            List<Tuple> first = redis.zrangeWithScores(RedisKeys.messages(user), 0, 0);
            long firstSeq = first.isEmpty() ? last + 1 : (long) first.getFirst().getScore();
            return new Slice(out, Math.max(last, out.isEmpty() ? 0 : out.getLast().seq()), firstSeq);
        });
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        // At most max-per-user members, and only read receipts ask: a scan beats a second index to keep trimmed.
        String needle = "\"id\":\"" + messageId + "\"";
        return call(() -> redis.zrange(RedisKeys.messages(user), 0, -1).stream()
                .filter(m -> m.contains(needle))
                .map(RedisCodec::decode)
                .filter(m -> m.id().equals(messageId))
                .findFirst());
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        return find(user, messageId);
    }

    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             java.time.Duration editWindow) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public java.util.Set<String> blocks(String user) {
        return java.util.Set.of();
    }

    @Override
    public long confirmed(String user) {
        return call(() -> parseLong(redis.get(RedisKeys.confirmed(user))));
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        return call(() -> {
            long previous = (Long) RedisScripts.run(redis, RedisScripts.CONFIRM,
                                                    List.of(RedisKeys.confirmed(user), RedisKeys.seq(user)),
                                                    List.of(Long.toString(seq)));
            return previous < 0 ? Optional.<Long>empty() : Optional.of(previous);
        });
    }

    @Override
    public void trim(Instant now) {
        // Trimming happens in the append script, and idle users' history expires with its keys.
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    void healthy(boolean value) {
        healthy = value;
    }

    @Override
    public void close() {
        // the client belongs to whoever made it
    }

    private <T> T call(java.util.function.Supplier<T> op) {
        try {
            T value = op.get();
            healthy = true;
            return value;
        } catch (JedisException e) {
            healthy = false;
            throw new StoreUnavailableException("Redis is unavailable", e);
        }
    }

    private static long parseLong(String s) {
        return s == null ? 0 : Long.parseLong(s);
    }
}
