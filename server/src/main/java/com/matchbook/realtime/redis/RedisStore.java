package com.matchbook.realtime.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.matchbook.realtime.Settings;
import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreRefusal;
import com.matchbook.realtime.store.StoreUnavailableException;

import jakarta.json.JsonValue;

import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.Tuple;

/**
 * Streams, numbering, the conversation index, idempotency records and blocks in Redis, shared by every node (the
 * layout is in {@link RedisKeys}). Every write is one Lua script ({@link RedisStreamScripts}), so a message and its
 * sender's copy, its idempotency record and its index entries are stored together or not at all, and an idempotency
 * key holds whichever node the repeat reaches. Reads of a conversation go through the index
 * ({@link RedisReadScripts}), in proportion to the page.
 *
 * <p>Announcements: each write script publishes the entries it numbers to the nodes holding their users; every node,
 * this one included, hands what its one subscription receives to its store's {@link StoredFeed}, which tells the
 * {@link MessageStore.StoredListener} given here, in seq order per user (and catches up after the subscription was
 * lost). So the listener is called for entries written by any node, on the nodes holding their users.
 *
 * <p>On Redis Cluster (the client is a {@code RedisClusterClient}) a send or an edit touches two users' slots, so it
 * is written in two steps instead ({@link RedisClusterWrites}, {@link RedisClusterScripts}): same promises for what
 * is acknowledged, with a repair sweep ({@link #repairOwed}) for what a crash cut between the steps.
 *
 * <p>Durability is Redis's: with {@code appendonly yes} and {@code appendfsync always} an acknowledged message
 * survives a Redis crash; with {@code everysec}, up to a second of them may not. With replicas, an append or an edit
 * is acknowledged only once {@link RedisReplication} has seen the replicas it asks for confirm it (WAIT), so a
 * failover to a replica keeps it (on Redis Cluster, each of the two steps on its own shard).
 *
 * <p>Past 300 lines because it is one thing, {@link MessageStore} over Redis: each method is one script call and the
 * decoding of its answer; the scripts, keys and codec are in files of their own.
 */
public final class RedisStore implements MessageStore {
    /** Users trimmed per round trip of {@link #trim}. */
    private static final int TRIM_BATCH = 100;

    private final UnifiedJedis redis;
    private final RedisReplication replication;
    private final int maxPerUser;
    private final Duration ttl;
    private final Duration idempotencyTtl;
    private final StoredFeed feed;
    /** Present in Redis Cluster, where sends and edits take two steps ({@link RedisClusterScripts}). */
    private final Optional<RedisClusterWrites> cluster;
    private volatile boolean healthy = true;

    /** With the default idempotency TTL ({@link Settings.Timings#IDEMPOTENCY_TTL}). */
    public RedisStore(UnifiedJedis redis, int maxPerUser, Duration ttl, StoredListener listener) {
        this(redis, maxPerUser, ttl, Settings.Timings.IDEMPOTENCY_TTL, listener);
    }

    /** No replica confirms anything: one Redis, or a test of the store alone. */
    public RedisStore(UnifiedJedis redis, int maxPerUser, Duration ttl, Duration idempotencyTtl,
                      StoredListener listener) {
        this(redis, RedisReplication.none(redis), maxPerUser, ttl, idempotencyTtl, listener);
    }

    /**
     * @param replication    how many replicas must confirm an append or an edit before it is acknowledged
     *                       ({@code matchbook.redis.replicas-to-ack})
     * @param maxPerUser     entries kept per stream ({@code matchbook.history.max-per-user})
     * @param ttl            how long an entry is kept ({@code matchbook.history.ttl})
     * @param idempotencyTtl how long after a send's sentAt its (sender, key) record answers repeats
     *                       ({@code matchbook.idempotency-ttl})
     * @param listener       told about each entry of a user this node holds, once durable, in seq order per user
     */
    public RedisStore(UnifiedJedis redis, RedisReplication replication, int maxPerUser, Duration ttl,
                      Duration idempotencyTtl, StoredListener listener) {
        this.redis = redis;
        this.replication = replication;
        this.maxPerUser = maxPerUser;
        this.ttl = ttl;
        this.idempotencyTtl = idempotencyTtl;
        this.feed = new StoredFeed(this, listener);
        this.cluster = redis instanceof RedisClusterClient shards
                ? Optional.of(new RedisClusterWrites(shards, replication, maxPerUser))
                : Optional.empty();
    }

    /** How many replicas confirm a write; the node's heartbeat refreshes it. */
    RedisReplication replication() {
        return replication;
    }

    /** Where this node's subscription hands the publications of stored entries. */
    StoredFeed feed() {
        return feed;
    }

    @Override
    public CompletableFuture<Accepted> append(Draft draft, String id, Instant sentAt, long acceptedNanos,
                                              Optional<SendKey> key) {
        String to = draft.to();
        String from = draft.from();
        long now = System.currentTimeMillis();
        if (cluster.isPresent()) {
            try {
                return CompletableFuture.completedFuture(call(() -> cluster.get().append(
                        draft, id, RedisCodec.encode(draft, id, sentAt), sentAt, key, sentAt.plus(idempotencyTtl))));
            } catch (StoreUnavailableException | StoreRefusal e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        List<Object> reply;
        try {
            reply = replicated(RedisStreamScripts.APPEND, List.of(RedisKeys.seq(to), RedisKeys.seq(from)),
                        List.of(to, from, id, RedisCodec.encode(draft, id, sentAt),
                                Long.toString(sentAt.toEpochMilli()), Integer.toString(maxPerUser),
                                Long.toString(now),
                                key.map(SendKey::key).orElse(""), key.map(SendKey::fingerprint).orElse(""),
                                Long.toString(sentAt.plus(idempotencyTtl).toEpochMilli())));
        } catch (StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
        return switch ((String) reply.getFirst()) {
            case "ok" -> CompletableFuture.completedFuture(new Accepted(id, (Long) reply.get(1), false));
            case "repeat" -> CompletableFuture.completedFuture(
                    new Accepted((String) reply.get(1), (Long) reply.get(2), true));
            case "reused" -> CompletableFuture.failedFuture(StoreRefusal.keyReused(key.orElseThrow().key()));
            case "blocked" -> CompletableFuture.failedFuture(StoreRefusal.blocked(to));
            default -> throw new IllegalStateException("append script answered " + reply);
        };
    }

    /**
     * Reads the record the append script keeps ({@link RedisKeys}: {@code "<id>|<seq>|<fingerprint>"}, expiring with
     * the TTL, so Redis's own clock decides expiry and {@code now} is not needed). In Redis Cluster its seq is 0 until
     * the recipient's copy is stored: then there is no first answer yet.
     */
    @Override
    public Optional<Accepted> repeatOf(String sender, SendKey key, Instant now) {
        String seen = call(() -> redis.get(RedisKeys.idempotency(sender, key.key())));
        if (seen == null) {
            return Optional.empty();
        }
        int a = seen.indexOf('|');
        int b = seen.indexOf('|', a + 1);
        if (!seen.substring(b + 1).equals(key.fingerprint())) {
            throw StoreRefusal.keyReused(key.key());
        }
        long seq = Long.parseLong(seen.substring(a + 1, b));
        return seq == 0 ? Optional.empty() : Optional.of(new Accepted(seen.substring(0, a), seq, true));
    }

    @Override
    public Slice since(String user, long afterSeq, int limit) {
        return call(() -> {
            List<String> members = redis.zrangeByScore(RedisKeys.messages(user), "(" + afterSeq, "+inf", 0, limit);
            List<Message> out = new ArrayList<>(members.size());
            for (String m : members) {
                out.add(RedisCodec.decode(user, m));
            }
            long last = parseLong(redis.get(RedisKeys.seq(user)));
            List<Tuple> first = redis.zrangeWithScores(RedisKeys.messages(user), 0, 0);
            long firstSeq = first.isEmpty() ? last + 1 : (long) first.getFirst().getScore();
            return new Slice(out, Math.max(last, out.isEmpty() ? 0 : out.getLast().seq()), firstSeq);
        });
    }

    @Override
    public Optional<Message> find(String user, String messageId) {
        return oneMessage(RedisReadScripts.FIND, user, messageId);
    }

    @Override
    public List<Conversation> conversations(String user, int limit) {
        if (limit <= 0) {
            return List.of();   // ZREVRANGE 0 -1 would be the whole list
        }
        @SuppressWarnings("unchecked")
        List<Object> flat = (List<Object>) call(() -> RedisScripts.run(redis, RedisReadScripts.CONVERSATIONS,
                                                                       List.of(RedisKeys.seq(user)),
                                                                       List.of(user, Integer.toString(limit))));
        List<Conversation> out = new ArrayList<>(flat.size() / 3);
        for (int i = 0; i < flat.size(); i += 3) {
            out.add(new Conversation((String) flat.get(i), RedisCodec.decode(user, (String) flat.get(i + 1)),
                                     (Long) flat.get(i + 2)));
        }
        return out;
    }

    @Override
    public Page conversation(String user, String with, long beforeSeq, int limit) {
        String below = beforeSeq == Long.MAX_VALUE ? "+inf" : "(" + beforeSeq;
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) call(() -> RedisScripts.run(redis, RedisReadScripts.PAGE,
                                                                        List.of(RedisKeys.seq(user)),
                                                                        List.of(user, with, below,
                                                                                Integer.toString(limit))));
        @SuppressWarnings("unchecked")
        List<Object> newestFirst = (List<Object>) reply.get(1);
        List<Message> messages = new ArrayList<>(newestFirst.size());
        for (Object member : newestFirst.reversed()) {
            messages.add(RedisCodec.decode(user, (String) member));
        }
        return new Page(messages, (Long) reply.getFirst() == 1);
    }

    @Override
    public Optional<Message> markRead(String user, String messageId) {
        return oneMessage(RedisReadScripts.MARK_READ, user, messageId);
    }

    /** Runs a script that finds one message of the user's by id ({@link RedisReadScripts}) and decodes its answer. */
    private Optional<Message> oneMessage(String script, String user, String messageId) {
        Object member = call(() -> RedisScripts.run(redis, script, List.of(RedisKeys.seq(user)),
                                                    List.of(user, messageId)));
        return Optional.ofNullable((String) member).map(m -> RedisCodec.decode(user, m));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads the author's copy first to learn the other person (whose keys the script needs); the script checks it
     * again, since the message may have been trimmed, edited or deleted meanwhile. {@code sentAt} never changes, so
     * the edit window is judged from that read.
     */
    @Override
    public CompletableFuture<Message> update(String author, String messageId, Update.Action action,
                                             Optional<String> text, Optional<JsonValue> data, Instant at,
                                             Duration editWindow) {
        List<Object> reply;
        String other;
        try {
            Optional<Message> found = find(author, messageId).filter(m -> m.from().equals(author));
            if (found.isEmpty()) {
                return CompletableFuture.failedFuture(StoreRefusal.notFound(messageId));
            }
            other = found.get().to();
            boolean windowClosed = at.isAfter(found.get().sentAt().plus(editWindow));
            List<String> args = List.of(author, other, messageId, action.wire(),
                                        text.isPresent() ? "1" : "0", text.orElse(""),
                                        data.isPresent() ? "1" : "0", data.map(RedisCodec::dataText).orElse(""),
                                        at.toString(), Long.toString(at.toEpochMilli()), windowClosed ? "1" : "0",
                                        Integer.toString(maxPerUser));
            if (cluster.isPresent()) {
                String o = other;
                String copy = call(() -> cluster.get().update(author, o, messageId, action, args));
                return CompletableFuture.completedFuture(RedisCodec.decode(author, copy));
            }
            reply = replicated(RedisStreamScripts.UPDATE, List.of(RedisKeys.seq(author), RedisKeys.seq(other)), args);
        } catch (StoreUnavailableException | StoreRefusal e) {
            return CompletableFuture.failedFuture(e);
        }
        return switch ((String) reply.getFirst()) {
            case "ok", "same" -> CompletableFuture.completedFuture(RedisCodec.decode(author, (String) reply.get(1)));
            case "not_found" -> CompletableFuture.failedFuture(StoreRefusal.notFound(messageId));
            case "edit_window_closed" -> CompletableFuture.failedFuture(StoreRefusal.editWindowClosed(messageId));
            case "blocked" -> CompletableFuture.failedFuture(StoreRefusal.blocked(other));
            default -> throw new IllegalStateException("update script answered " + reply);
        };
    }

    @Override
    public CompletableFuture<Void> block(String user, String other) {
        return write(() -> redis.sadd(RedisKeys.blocks(user), other));
    }

    @Override
    public CompletableFuture<Void> unblock(String user, String other) {
        return write(() -> redis.srem(RedisKeys.blocks(user), other));
    }

    @Override
    public Set<String> blocks(String user) {
        return call(() -> Set.copyOf(redis.smembers(RedisKeys.blocks(user))));
    }

    /** Two set lookups (one per user's slot), no script: it is asked on every send, typing and receipt. */
    @Override
    public boolean blockedEither(String a, String b) {
        return call(() -> redis.sismember(RedisKeys.blocks(a), b) || redis.sismember(RedisKeys.blocks(b), a));
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

    /**
     * Writes trim the streams they touch; this visits the users who wrote nothing for a while but hold entries older
     * than the TTL (those the trim index files under a time before the cutoff), in batches. Idempotency records
     * expire by themselves (PXAT).
     */
    @Override
    public void trim(Instant now) {
        long cutoff = now.minus(ttl).toEpochMilli();
        if (cluster.isPresent()) {
            cluster.get().trim(cutoff);   // per slot; a slot whose shard is down waits for the next round
            return;
        }
        call(() -> {
            for (int round = 0; round < 10_000; round++) {
                List<String> due = redis.zrangeByScore(RedisKeys.TRIM_DUE, "-inf", "(" + cutoff, 0, TRIM_BATCH);
                for (String user : due) {
                    RedisScripts.run(redis, RedisStreamScripts.TRIM_USER, List.of(RedisKeys.seq(user)),
                                     List.of(user, Integer.toString(maxPerUser), Long.toString(cutoff)));
                }
                if (due.size() < TRIM_BATCH) {
                    break;
                }
            }
            return null;
        });
    }

    /**
     * Redis Cluster: finishes sends and edits whose second step a crash or a shard outage left owed
     * ({@link RedisClusterScripts}); a no-op on one Redis, where each write is one script. Run on a timer by every
     * node.
     *
     * @return how many were finished
     */
    public int repairOwed() {
        return cluster.map(RedisClusterWrites::repair).orElse(0);
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

    /** A write script, acknowledged once the replicas {@link RedisReplication} asks for have it. */
    @SuppressWarnings("unchecked")
    private List<Object> replicated(String script, List<String> keys, List<String> args) {
        return (List<Object>) call(() -> replication.run(script, keys, args));
    }

    private CompletableFuture<Void> write(Runnable op) {
        try {
            call(() -> {
                op.run();
                return null;
            });
            return CompletableFuture.completedFuture(null);
        } catch (StoreUnavailableException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private <T> T call(Supplier<T> op) {
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
