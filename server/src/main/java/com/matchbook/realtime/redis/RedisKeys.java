package com.matchbook.realtime.redis;

/**
 * Key and channel names. Every key of one user carries the user id as a hash tag ({@code {alice}}), so a user's keys
 * share a slot. The scripts derive the same names in Lua ({@link RedisStreamScripts#PRELUDE}); this class is the
 * list of them.
 *
 * <p>Per user U, {@code mb:{U}:} followed by:
 * <ul>
 *   <li>{@code seq}: highest seq ever given (never expires, so a seq is never reused);</li>
 *   <li>{@code msgs}: the stream, a sorted set scored by seq, members {@code "<seq>|<entry json>"}, each message in
 *       its latest version ({@link RedisCodec});</li>
 *   <li>{@code times}: seq by entry time (ms), to trim by age;</li>
 *   <li>{@code ids}: message id to its seq (messages, not update entries), for find, read and edit;</li>
 *   <li>{@code upd}: the update entries, members {@code "<message id>|<seq>"} all at score 0 (a lex range finds the
 *       updates of one message, which a delete empties);</li>
 *   <li>{@code convs}: U's conversations, member the other person, score the seq of the newest message;</li>
 *   <li>{@code conv:<W>}: seqs of the messages of U's conversation with W (member and score the seq);</li>
 *   <li>{@code in:<W>}: the subset written by W, so an unread count is one ZCOUNT above the read marker;</li>
 *   <li>{@code read}: read markers, W to the highest seq U read in that conversation;</li>
 *   <li>{@code confirmed}, {@code nodes}, {@code blocks} (the set of users U blocks), {@code key:<k>} (U's
 *       idempotency record for key k: {@code "<id>|<seq>|<fingerprint>"}, expiring idempotency-ttl after sentAt;
 *       in Redis Cluster the seq is 0 until the recipient's copy is stored);</li>
 *   <li>Redis Cluster only: {@code owed}, the second halves of U's sends and edits not yet written to the other
 *       person's stream (op id to what to write, {@link RedisClusterScripts}), and {@code op:<op id>}, an edit's
 *       second half already applied to U's stream (expires).</li>
 * </ul>
 * And one shared key, {@link #TRIM_DUE}: users by a lower bound of their oldest entry's time, so the background trim
 * visits only the users with something to drop.
 *
 * <p>Redis Cluster: a script may touch one slot only, and a shared key lives in one slot. So the shared indexes are
 * kept <em>per slot</em> instead, under a hash tag chosen to land in that slot ({@link SlotTags}):
 * {@code mb:{<tag>}:trim-due} (the trim index of the users of that slot) and {@code mb:{<tag>}:owed-users} (users of
 * that slot with something {@code owed}, scored by when it was first owed). A user's script updates its own slot's
 * index atomically; the background sweeps read the 16,384 slots. The names cannot collide with a user's keys: no
 * per-user key is called {@code trim-due} or {@code owed-users}. Node keys ({@code alive}, {@link #STATS}, admin
 * replies) are plain keys read and written one command at a time, which Cluster serves from whichever shard owns them.
 */
final class RedisKeys {
    static final String ALL_CHANNEL = "mb:all";
    static final String STATS = "mb:stats";
    /** Users scored by a lower bound of their oldest retained entry's time (ms). */
    static final String TRIM_DUE = "mb:trim-due";

    private RedisKeys() {
    }

    /** Highest seq ever given to the user: never expires, so a seq is never reused. */
    static String seq(String user) {
        return "mb:{" + user + "}:seq";
    }

    /** The user's stream: a sorted set scored by seq, members {@code "<seq>|<entry json>"}. */
    static String messages(String user) {
        return "mb:{" + user + "}:msgs";
    }

    /** The user's idempotency record for {@code key}: {@code "<id>|<seq>|<fingerprint>"}, written by the append script. */
    static String idempotency(String user, String key) {
        return "mb:{" + user + "}:key:" + key;
    }

    static String confirmed(String user) {
        return "mb:{" + user + "}:confirmed";
    }

    /** Everyone the user blocks (docs/protocol.md "Blocking (1.1)"). */
    static String blocks(String user) {
        return "mb:{" + user + "}:blocks";
    }

    /** Nodes holding the user's connections: node id -> connection count on that node. */
    static String nodes(String user) {
        return "mb:{" + user + "}:nodes";
    }

    /** Redis Cluster: U's owed second halves, op id to what to write ({@link RedisClusterScripts}). */
    static String owed(String user) {
        return "mb:{" + user + "}:owed";
    }

    /** Redis Cluster: the trim index of the users whose keys are in the slot of {@code tag}. */
    static String slotTrimDue(String tag) {
        return "mb:{" + tag + "}:trim-due";
    }

    /** Redis Cluster: users of the slot of {@code tag} with something owed, scored by when (ms). */
    static String slotOwed(String tag) {
        return "mb:{" + tag + "}:owed-users";
    }

    static String nodeChannel(String node) {
        return "mb:node:" + node;
    }

    /** Exists while the node is alive (refreshed with a short expiry). */
    static String alive(String node) {
        return "mb:alive:" + node;
    }

    /** Where nodes answer one console question ({@link RedisOperator}); expires shortly after. */
    static String adminReply(String question) {
        return "mb:admin:reply:" + question;
    }
}
