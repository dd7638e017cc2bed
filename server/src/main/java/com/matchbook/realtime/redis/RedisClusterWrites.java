package com.matchbook.realtime.redis;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Update;
import com.matchbook.realtime.store.MessageStore.Accepted;
import com.matchbook.realtime.store.MessageStore.SendKey;
import com.matchbook.realtime.store.StoreRefusal;
import com.matchbook.realtime.store.StoreUnavailableException;

import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@link RedisStore}'s writes in Redis Cluster: the two-step send and edit of {@link RedisClusterScripts}, the repair
 * sweep that finishes second steps a crash or an outage left owed, and the background trim over the per-slot trim
 * indexes. Every method may throw {@link JedisException} (a shard down); the store maps it to 503.
 *
 * <p>Acknowledged means replicated here too ({@code matchbook.redis.replicas-to-ack}): step 1 (in the sender's or
 * author's slot) and step 2 (in the other person's slot) each run through {@link RedisReplication#run}, the script and
 * {@code WAIT} pipelined on the connection to the shard of that step's key, so each is confirmed by its own shard's
 * replicas before the next step or the acknowledgement. A short WAIT is a {@link StoreUnavailableException} (503) with
 * the step applied on its primary; the retry with the same idempotency key finds step 1's record and finishes step 2
 * (idempotent by message id), and both scripts write on a repeat, so the retry's own WAITs cover the first attempt's
 * writes. Step 3 ({@link RedisClusterScripts#DONE}) is not waited for: losing it costs a repeat of step 2, nothing
 * more.
 */
final class RedisClusterWrites {
    private static final System.Logger LOG = System.getLogger(RedisClusterWrites.class.getName());
    /** An owed entry younger than this is most likely still being finished by the node that wrote it. */
    static final Duration REPAIR_AFTER = Duration.ofSeconds(5);
    /** An edit's second half applied to a stream is remembered this long, far past any repair. */
    private static final Duration OP_MARKER_KEPT = Duration.ofDays(1);
    private static final int BATCH = 100;

    /** Builds the per-slot index reads, sent on a connection to the slot's primary ({@link #due}). */
    private static final CommandObjects COMMANDS = new CommandObjects(RedisProtocol.RESP2);

    private final RedisClusterClient redis;
    private final RedisReplication replication;
    private final SlotTags tags = new SlotTags();
    private final int maxPerUser;

    /** @param replication built on the same client: the replicas each step waits for ({@link RedisReplication}) */
    RedisClusterWrites(RedisClusterClient redis, RedisReplication replication, int maxPerUser) {
        this.redis = redis;
        this.replication = replication;
        this.maxPerUser = maxPerUser;
    }

    /**
     * A send: step 1 in the sender's slot, then (unless refused, repeated and settled, or a note to self) steps 2 and
     * 3. The answer carries the recipient's seq, as on one Redis.
     *
     * @throws StoreRefusal when the key was used for other content, or a block stands between the two
     */
    Accepted append(Draft draft, String id, String json, Instant sentAt, Optional<SendKey> key, Instant expires) {
        String to = draft.to();
        String from = draft.from();
        if (!to.equals(from) && redis.sismember(RedisKeys.blocks(to), from)) {
            throw StoreRefusal.blocked(to);
        }
        long now = System.currentTimeMillis();
        String tag = tags.of(from);
        List<?> reply = (List<?>) replication.run(
                RedisClusterScripts.SEND_OUT,
                List.of(RedisKeys.seq(from), RedisKeys.slotTrimDue(tag), RedisKeys.slotOwed(tag)),
                List.of(to, from, id, json, Long.toString(sentAt.toEpochMilli()), Integer.toString(maxPerUser),
                        Long.toString(now), key.map(SendKey::key).orElse(""),
                        key.map(SendKey::fingerprint).orElse(""), Long.toString(expires.toEpochMilli())));
        return switch ((String) reply.getFirst()) {
            case "pending" -> new Accepted(id, deliverOwed(from, id, "M" + to + "\n" + sentAt.toEpochMilli() + "\n"
                                                                      + key.map(SendKey::key).orElse("") + "\n" + json),
                                           false);
            case "ok" -> new Accepted(id, (Long) reply.get(1), false);
            case "repeat" -> {
                String first = (String) reply.get(1);
                long seq = (Long) reply.get(2);
                if (seq == 0 && !((String) reply.get(3)).isEmpty()) {
                    seq = deliverOwed(from, first, (String) reply.get(3));   // the retry finishes what was owed
                }
                yield new Accepted(first, seq, true);
            }
            case "reused" -> throw StoreRefusal.keyReused(key.orElseThrow().key());
            case "blocked" -> throw StoreRefusal.blocked(to);
            default -> throw new IllegalStateException("send script answered " + reply);
        };
    }

    /**
     * An edit or delete: step 1 in the author's slot, then the other person's stream and the settling.
     *
     * @param args as {@link RedisStreamScripts#UPDATE}'s ARGV
     * @return the author's new copy (a stream member)
     * @throws StoreRefusal not found, edit window closed, or blocked
     */
    String update(String author, String other, String messageId, Update.Action action, List<String> args) {
        if (action == Update.Action.EDIT && !author.equals(other)
                && redis.sismember(RedisKeys.blocks(other), author)) {
            throw StoreRefusal.blocked(other);
        }
        String op = "u:" + UUID.randomUUID();
        String tag = tags.of(author);
        List<String> all = new ArrayList<>(args);
        all.add(op);
        all.add(Long.toString(System.currentTimeMillis()));
        List<?> reply = (List<?>) replication.run(
                RedisClusterScripts.UPDATE_OWN,
                List.of(RedisKeys.seq(author), RedisKeys.slotTrimDue(tag), RedisKeys.slotOwed(tag)), all);
        return switch ((String) reply.getFirst()) {
            case "ok" -> {
                if (!author.equals(other)) {
                    String owed = redis.hget(RedisKeys.owed(author), op);
                    if (owed != null) {
                        deliverOwed(author, op, owed);
                    }
                }
                yield (String) reply.get(1);
            }
            case "same" -> (String) reply.get(1);
            case "not_found" -> throw StoreRefusal.notFound(messageId);
            case "edit_window_closed" -> throw StoreRefusal.editWindowClosed(messageId);
            case "blocked" -> throw StoreRefusal.blocked(other);
            default -> throw new IllegalStateException("update script answered " + reply);
        };
    }

    /**
     * Finishes owed second steps older than {@link #REPAIR_AFTER} in every slot: what a node that crashed between the
     * steps, or a send refused while the recipient's shard was down, left behind. A slot whose shard is down is
     * skipped until the next round.
     *
     * @return how many owed entries were finished
     */
    int repair() {
        long before = System.currentTimeMillis() - REPAIR_AFTER.toMillis();
        int finished = 0;
        for (int slot = 0; slot < SlotTags.SLOTS; slot++) {
            try {
                for (String user : due(slot, RedisKeys.slotOwed(tags.ofSlot(slot)), Long.toString(before))) {
                    for (Map.Entry<String, String> e : redis.hgetAll(RedisKeys.owed(user)).entrySet()) {
                        deliverOwed(user, e.getKey(), e.getValue());
                        finished++;
                    }
                }
            } catch (JedisException | StoreUnavailableException e) {   // a shard down, or its replica behind
                LOG.log(Level.DEBUG, "event=repair-skipped slot=" + slot + " error=" + e.getMessage());
            }
        }
        if (finished > 0) {
            LOG.log(Level.INFO, "event=owed-repaired count=" + finished);
        }
        return finished;
    }

    /** The background trim: per slot, the users filed under a time before the cutoff. */
    void trim(long cutoffMs) {
        for (int slot = 0; slot < SlotTags.SLOTS; slot++) {
            String index = RedisKeys.slotTrimDue(tags.ofSlot(slot));
            try {
                for (int round = 0; round < 10_000; round++) {
                    List<String> due = due(slot, index, "(" + cutoffMs);
                    for (String user : due) {
                        RedisScripts.run(redis, RedisClusterScripts.TRIM_USER, List.of(RedisKeys.seq(user), index),
                                         List.of(user, Integer.toString(maxPerUser), Long.toString(cutoffMs)));
                    }
                    if (due.size() < BATCH) {
                        break;
                    }
                }
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "event=trim-skipped slot=" + slot + " error=" + e.getMessage());
            }
        }
    }

    /**
     * Up to {@link #BATCH} members of a per-slot index scored up to {@code max}, read on a connection to the slot's
     * primary: a slot whose shard is down fails at once (connection refused) instead of after the client's retries,
     * so a sweep passes over a down shard's 5,000-odd slots quickly.
     */
    private List<String> due(int slot, String index, String max) {
        try (Connection c = redis.getConnectionFromSlot(slot)) {
            return c.executeCommand(COMMANDS.zrangeByScore(index, "-inf", max, 0, BATCH));
        }
    }

    /** Runs step 2 and 3 of owed entry {@code op} of {@code user}; returns the other person's seq for a send. */
    private long deliverOwed(String user, String op, String owed) {
        String other;
        long seq = 0;
        String key = "";
        if (owed.charAt(0) == 'M') {
            // M<to>\n<sentAt ms>\n<idempotency key>\n<json>
            String[] p = owed.substring(1).split("\n", 4);
            other = p[0];
            key = p[2];
            seq = (Long) replication.run(RedisClusterScripts.SEND_IN,
                                         List.of(RedisKeys.seq(other), RedisKeys.slotTrimDue(tags.of(other))),
                                         List.of(other, user, op, p[3], p[1], Integer.toString(maxPerUser)));
        } else {
            // U<other>\n<message id>\n<action>\n<at ms>\n<version json>\n<entry json>
            String[] p = owed.substring(1).split("\n", 6);
            other = p[0];
            replication.run(RedisClusterScripts.UPDATE_OTHER,
                            List.of(RedisKeys.seq(other), RedisKeys.slotTrimDue(tags.of(other))),
                            List.of(other, op, p[1], p[2], p[3], p[4], p[5], Integer.toString(maxPerUser),
                                    Long.toString(OP_MARKER_KEPT.toMillis())));
        }
        // Not waited for: the acknowledgement rests on steps 1 and 2; a DONE lost in a failover leaves the owed entry,
        // which the retry or the repair sweep finishes again, idempotently.
        String tag = tags.of(user);
        RedisScripts.run(redis, RedisClusterScripts.DONE, List.of(RedisKeys.seq(user), RedisKeys.slotOwed(tag)),
                         List.of(user, op, key, Long.toString(seq)));
        return seq;
    }
}
