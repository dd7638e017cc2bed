package com.matchbook.realtime.redis;

/**
 * The stream writes in Redis Cluster ({@code matchbook.redis.cluster}), where one script may touch one slot only and
 * each user's keys are one slot ({@link RedisKeys}). A send or an edit writes two users' streams, so it is done in
 * two steps, each one script in one user's slot, joined by an entry in the first user's {@code owed} hash:
 * <ol>
 *   <li><b>Sender's slot</b> ({@link #SEND_OUT}): the idempotency check and record (seq 0 for now), the block check
 *       of the sender's own list, the sender's copy (numbered and published), and the owed entry "deliver this to the
 *       recipient", all at once. This is where a send is accepted or refused.</li>
 *   <li><b>Recipient's slot</b> ({@link #SEND_IN}): the recipient's copy, numbered and published, <em>idempotent by
 *       message id</em> (a second run answers the seq the first gave).</li>
 *   <li><b>Sender's slot</b> ({@link #DONE}): the owed entry goes, and the idempotency record gets the recipient's
 *       seq.</li>
 * </ol>
 * The sender gets its acknowledgement only after step 2, so an acknowledged message is in both streams. A crash or a
 * shard outage between the steps leaves the owed entry, which is finished by whichever comes first: the sender's
 * retry with the same idempotency key (step 1 answers "repeat, still owed" and the retry runs steps 2 and 3), or the
 * repair sweep every node runs ({@link RedisClusterWrites#repair}). Because step 2 is idempotent, the sweep and the
 * sending node racing each other store the message once; because each step numbers only its own user's stream inside
 * one script, seq stays gap-free per user. What is given up against the single-Redis script: between the steps the
 * sender's copy exists (and its tabs show it) before the recipient's, and a send refused with 503 after step 1 is
 * still delivered later (as a send cut off by a crash may be on one Redis: hence idempotency keys).
 *
 * <p>Why two steps rather than a per-conversation hash tag ({@code {alice|bob}}): seq and the stream are per user, and
 * a user's stream interleaves all of their conversations, so numbering a message needs the user's slot whatever tag
 * the conversation keys had; a pair tag would still leave two users' counters in two slots.
 *
 * <p>Blocks: step 1 checks the sender's list; the recipient's is checked just before it by the store (a read in the
 * recipient's slot). A block landing between that read and step 1 does not stop that one send, which is ordered before
 * the block; step 2 never refuses, or a crash could leave a copy without the other for good.
 *
 * <p>Edits and deletes work the same way ({@link #UPDATE_OWN} then {@link #UPDATE_OTHER}, made idempotent by an
 * {@code op:<id>} marker in the other person's slot). The trim index and the owed index are per slot
 * ({@link RedisKeys#slotTrimDue}, {@link RedisKeys#slotOwed}), passed as KEYS in the user's own slot.
 */
final class RedisClusterScripts {
    private static final String SLOT_TRIM_INDEX = "local trimDue = KEYS[2]\n";
    private static final String HELPERS = SLOT_TRIM_INDEX + RedisStreamScripts.PRELUDE;

    /**
     * Step 1 of a send. KEYS: seq of from, the trim index of from's slot, the owed index of from's slot. ARGV: to,
     * from, id, json, sentAt ms, max per user, now ms, idempotency key ('' for none), fingerprint, record expiry ms.
     * Returns {'pending'} (steps 2 and 3 to run), {'ok', seq} (a note to self, done), {'repeat', first id, first seq}
     * (seq 0: still owed, with the owed entry as a 4th element), {'reused'} or {'blocked'}. A repeat rewrites its
     * record unchanged, so that a WAIT on the same connection covers the first attempt's write.
     */
    static final String SEND_OUT = HELPERS + """
            local to, from, id, json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local at, keep, now = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
            local record = nil
            if ARGV[8] ~= '' then
              record = key(from, 'key:' .. ARGV[8])
              local seen = redis.call('GET', record)
              if seen then
                local a = string.find(seen, '|', 1, true)
                local b = string.find(seen, '|', a + 1, true)
                if string.sub(seen, b + 1) ~= ARGV[9] then return {'reused'} end
                local first, seq = string.sub(seen, 1, a - 1), tonumber(string.sub(seen, a + 1, b - 1))
                -- Rewritten unchanged, as APPEND does on one Redis: the WAIT after this script then covers the
                -- first attempt's step 1 too (RedisReplication), which may have been answered 503.
                redis.call('SET', record, seen, 'KEEPTTL')
                if seq == 0 then
                  return {'repeat', first, 0, redis.call('HGET', key(from, 'owed'), first) or ''}
                end
                return {'repeat', first, seq}
              end
            end
            local expires = tonumber(ARGV[10])
            if to == from then
              local seq, member = addMessage(from, from, false, id, json, at)
              publish(from, member)
              if record and expires > now then
                redis.call('SET', record, id .. '|' .. seq .. '|' .. ARGV[9], 'PXAT', expires)
              end
              trimUser(from, keep, nil)
              return {'ok', seq}
            end
            if redis.call('SISMEMBER', key(from, 'blocks'), to) == 1 then return {'blocked'} end
            local _, copy = addMessage(from, to, false, id, json, at)
            publish(from, copy)
            redis.call('HSET', key(from, 'owed'), id,
                       'M' .. to .. '\\n' .. ARGV[5] .. '\\n' .. ARGV[8] .. '\\n' .. json)
            redis.call('ZADD', KEYS[3], 'NX', now, from)
            if record and expires > now then
              redis.call('SET', record, id .. '|0|' .. ARGV[9], 'PXAT', expires)
            end
            trimUser(from, keep, nil)
            return {'pending'}
            """;

    /**
     * Step 2 of a send: the recipient's copy, once. KEYS: seq of to, the trim index of to's slot. ARGV: to, from, id,
     * json, sentAt ms, max per user. Returns the recipient's seq of the message. A second run rewrites the id's entry
     * unchanged (see {@link #SEND_OUT}'s repeat).
     */
    static final String SEND_IN = HELPERS + """
            local to, from, id, json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local have = redis.call('HGET', key(to, 'ids'), id)
            if have then
              redis.call('HSET', key(to, 'ids'), id, have)   -- a write, so the WAIT after it covers the first run
              return tonumber(have)
            end
            local seq, member = addMessage(to, from, true, id, json, tonumber(ARGV[5]))
            publish(to, member)
            trimUser(to, tonumber(ARGV[6]), nil)
            return seq
            """;

    /**
     * Step 3: the owed entry is settled. KEYS: seq of the user, the owed index of the user's slot. ARGV: user, op id
     * (a message id for a send), idempotency key ('' for none), the recipient's seq. Fills the seq into the record if
     * it still waits for it.
     */
    static final String DONE = """
            local function key(u, name) return 'mb:{' .. u .. '}:' .. name end
            local u, op = ARGV[1], ARGV[2]
            redis.call('HDEL', key(u, 'owed'), op)
            if redis.call('HLEN', key(u, 'owed')) == 0 then redis.call('ZREM', KEYS[2], u) end
            if ARGV[3] ~= '' then
              local record = key(u, 'key:' .. ARGV[3])
              local seen = redis.call('GET', record)
              local waiting = op .. '|0|'
              if seen and string.sub(seen, 1, #waiting) == waiting then
                redis.call('SET', record, op .. '|' .. ARGV[4] .. '|' .. string.sub(seen, #waiting + 1), 'KEEPTTL')
              end
            end
            return 1
            """;

    /**
     * Step 1 of an edit or delete, in the author's slot: {@link RedisStreamScripts#UPDATE} for the author's stream, and
     * an owed entry for the other person's. KEYS: seq of author, the trim index and the owed index of the author's
     * slot. ARGV: as {@link RedisStreamScripts#UPDATE}, then op id, now ms. Returns as UPDATE does; 'ok' also means an
     * owed entry {@code op id} was written unless it is a note to self.
     */
    static final String UPDATE_OWN = HELPERS + """
            local author, other, id, action = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local mine = current(author, id)
            if not mine then return {'not_found'} end
            local refusal, version, entryJson = prepare(mine, author, other, action, ARGV[5], ARGV[6], ARGV[7],
                                                        ARGV[8], ARGV[9], ARGV[11], function()
              return redis.call('SISMEMBER', key(author, 'blocks'), other) == 1
            end)
            if refusal then return refusal end
            local at, keep = tonumber(ARGV[10]), tonumber(ARGV[12])
            local answer = apply(author, id, action, version, entryJson, at, keep)
            if other ~= author then
              redis.call('HSET', key(author, 'owed'), ARGV[13], 'U' .. other .. '\\n' .. id .. '\\n' .. action .. '\\n'
                         .. ARGV[10] .. '\\n' .. version .. '\\n' .. entryJson)
              redis.call('ZADD', KEYS[3], 'NX', ARGV[14], author)
            end
            return {'ok', answer}
            """;

    /**
     * Step 2 of an edit or delete: the same new version and update entry in the other person's stream, once per op.
     * KEYS: seq of the other person, the trim index of their slot. ARGV: other, op id, message id, action, at ms,
     * version json, update entry json, max per user, how long the op marker is kept (ms). Returns 1 (applied) or 0
     * (already; the marker is rewritten so that a WAIT after it covers the first run).
     */
    static final String UPDATE_OTHER = HELPERS + """
            local u = ARGV[1]
            local done = key(u, 'op:' .. ARGV[2])
            if redis.call('EXISTS', done) == 1 then
              redis.call('SET', done, '1', 'PX', ARGV[9])   -- a write, so the WAIT after it covers the first run
              return 0
            end
            apply(u, ARGV[3], ARGV[4], ARGV[6], ARGV[7], tonumber(ARGV[5]), tonumber(ARGV[8]))
            redis.call('SET', done, '1', 'PX', ARGV[9])
            return 1
            """;

    /**
     * {@link RedisStreamScripts#TRIM_USER} filing the user in the trim index of its slot. KEYS: seq of the user, that
     * index. ARGV: user, max per user, cutoff ms.
     */
    static final String TRIM_USER = HELPERS + RedisStreamScripts.TRIM_BODY;

    private RedisClusterScripts() {
    }
}
