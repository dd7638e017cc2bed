package com.matchbook.realtime.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.redis.RedisStore;
import com.matchbook.realtime.redis.RedisTap;

import jakarta.json.JsonValue;
import redis.clients.jedis.UnifiedJedis;

/**
 * A node: the store with its tap. Every user it writes for is held by the node, and a write returns once the
 * node's subscription has received what the write published, as the contract's announcements expect.
 */
final class TappedRedisStore implements MessageStore {
    private final UnifiedJedis client;
    private final RedisStore redisStore;
    final RedisTap tap;

    TappedRedisStore(UnifiedJedis client, RedisTap tap) {
        this.client = client;
        this.redisStore = new RedisStore(client, MessageStoreContract.MAX_PER_USER, MessageStoreContract.TTL,
                                         MessageStoreContract.IDEMPOTENCY_TTL, entry -> { });   // the tap announces
        this.tap = tap;
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        tap.hold(draft.to());
        tap.hold(draft.from());
        CompletableFuture<Accepted> f = redisStore.append(draft, id, sentAt, acceptedNanos, key);
        tap.sync();
        return f;
    }

    @Override
    public Optional<Accepted> repeatOf(String sender, SendKey key, Instant now) {
        return redisStore.repeatOf(sender, key, now);
    }

    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             Duration editWindow) {
        CompletableFuture<Message> f = redisStore.update(author, messageId, action, text, data, at, editWindow);
        tap.sync();
        return f;
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return redisStore.since(user, afterSeq, limit);
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        return redisStore.find(user, messageId);
    }

    @Override
    public long confirmed(String user) {
        return redisStore.confirmed(user);
    }

    @Override
    public Optional<Long> confirm(String user, long seq) {
        return redisStore.confirm(user, seq);
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        return redisStore.conversations(user, limit);
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        return redisStore.conversation(user, with, beforeSeq, limit);
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        return redisStore.markRead(user, messageId);
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        return redisStore.block(user, other);
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        return redisStore.unblock(user, other);
    }

    @Override
    public Set<String> blocks(String user) {
        return redisStore.blocks(user);
    }

    @Override
    public boolean blockedEither(String a, String b) {
        return redisStore.blockedEither(a, b);
    }

    @Override
    public void trim(Instant now) {
        redisStore.trim(now);
    }

    @Override
    public boolean healthy() {
        return redisStore.healthy();
    }

    @Override
    public void close() {
        tap.close();
        redisStore.close();
        client.close();
    }
}
