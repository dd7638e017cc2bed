package com.matchbook.realtime.redis;

/**
 * The Lua scripts that write streams (docs/protocol.md "Conversations", "Idempotent sends", "Edit and delete",
 * "Blocking", all 1.1): each write is one script, so Redis runs it whole or not at all, and no crash or lost node can
 * leave a message in one stream without its copy in the other, an idempotency record without its message, or an index
 * entry without its entry. Each entry is published to the nodes holding its user inside the script that numbers it, so
 * every node sees a user's entries in seq order, and a node that registered the user before reading history misses
 * none.
 *
 * <p>The key layout is {@link RedisKeys}'. KEYS name each user's {@code seq} key (the slot the script works in); the
 * other keys of that user are derived in the script under the same hash tag, because some (a trimmed message's
 * conversation) are known only inside it.
 *
 * <p>Redis Cluster ({@code matchbook.redis.cluster}): a send or an edit touches two users' keys, so two slots, which a
 * cluster refuses in one script; there the writes are done in two steps by {@link RedisClusterScripts}, which share
 * the Lua helpers below. The helpers name the trim index through {@code trimDue}, which each script defines before
 * them: the shared {@link RedisKeys#TRIM_DUE} here, the index of the user's own slot in a cluster.
 */
final class RedisStreamScripts {
    /** Defines {@code trimDue} for the helpers: the one shared trim index of a single Redis (or Sentinel). */
    static final String SHARED_TRIM_INDEX = "local trimDue = 'mb:trim-due'\n";

    /**
     * Helpers shared by the write scripts: key names, adding an entry and a message with its index, forgetting a
     * trimmed entry, trimming a user by count and age, publishing an entry; for edits and deletes, checking one against
     * the author's copy and building the new version and update entry ({@code prepare}), and applying those to one
     * user's stream ({@code apply}).
     */
    static final String PRELUDE = """
            local function key(u, name) return 'mb:{' .. u .. '}:' .. name end
            local function split(member)
              local bar = string.find(member, '|', 1, true)
              return tonumber(string.sub(member, 1, bar - 1)), string.sub(member, bar + 1)
            end
            local function blocked(a, b)
              return redis.call('SISMEMBER', key(a, 'blocks'), b) == 1
                  or redis.call('SISMEMBER', key(b, 'blocks'), a) == 1
            end
            local function publish(u, member)
              local payload = 'M' .. u .. '\\n' .. member
              for _, node in ipairs(redis.call('HKEYS', key(u, 'nodes'))) do
                redis.call('PUBLISH', 'mb:node:' .. node, payload)
              end
            end
            local function addEntry(u, json, at)
              local seq = redis.call('INCR', key(u, 'seq'))
              local member = seq .. '|' .. json
              redis.call('ZADD', key(u, 'msgs'), seq, member)
              redis.call('ZADD', key(u, 'times'), at, seq)
              redis.call('ZADD', trimDue, 'LT', at, u)
              return seq, member
            end
            local function addMessage(u, peer, incoming, id, json, at)
              local seq, member = addEntry(u, json, at)
              redis.call('HSET', key(u, 'ids'), id, seq)
              redis.call('ZADD', key(u, 'conv:' .. peer), seq, seq)
              if incoming then
                redis.call('ZADD', key(u, 'in:' .. peer), seq, seq)
              end
              redis.call('ZADD', key(u, 'convs'), seq, peer)
              return seq, member
            end
            local function forget(u, member)
              local seq, json = split(member)
              local e = cjson.decode(json)
              redis.call('ZREM', key(u, 'times'), seq)
              if e.update then
                redis.call('ZREM', key(u, 'upd'), e.id .. '|' .. seq)
                return
              end
              if redis.call('HGET', key(u, 'ids'), e.id) == tostring(seq) then
                redis.call('HDEL', key(u, 'ids'), e.id)
              end
              local peer = e.to
              if e.to == u then peer = e.from end
              local conv = key(u, 'conv:' .. peer)
              redis.call('ZREM', conv, seq)
              redis.call('ZREM', key(u, 'in:' .. peer), seq)
              if redis.call('ZCARD', conv) == 0 then
                redis.call('ZREM', key(u, 'convs'), peer)
                redis.call('DEL', key(u, 'in:' .. peer))
                redis.call('HDEL', key(u, 'read'), peer)
              end
            end
            local function trimUser(u, keep, cutoff)
              local upto = tonumber(redis.call('GET', key(u, 'seq')) or '0') - keep
              if cutoff then
                for _, s in ipairs(redis.call('ZRANGEBYSCORE', key(u, 'times'), '-inf', '(' .. cutoff)) do
                  if tonumber(s) > upto then upto = tonumber(s) end
                end
              end
              if upto < 1 then return end
              local msgs = key(u, 'msgs')
              local gone = redis.call('ZRANGEBYSCORE', msgs, '-inf', upto)
              if #gone == 0 then return end
              for _, member in ipairs(gone) do forget(u, member) end
              redis.call('ZREMRANGEBYSCORE', msgs, '-inf', upto)
            end
            local function current(u, id)
              local seq = redis.call('HGET', key(u, 'ids'), id)
              if not seq then return nil end
              return redis.call('ZRANGEBYSCORE', key(u, 'msgs'), seq, seq)[1]
            end
            local function prepare(mine, author, other, action, hasText, text, hasData, data, at, closed, isBlocked)
              local _, json = split(mine)
              local m = cjson.decode(json)
              if m.from ~= author or m.to ~= other then return {'not_found'} end
              if action == 'delete' and m.deleted then return {'same', mine} end
              if action == 'edit' then
                if m.deleted then return {'not_found'} end
                if closed == '1' then return {'edit_window_closed'} end
                if author ~= other and isBlocked() then return {'blocked'} end
              end
              local v
              if action == 'delete' then
                v = {id = m.id, channel = m.channel, from = m.from, to = m.to, sentAt = m.sentAt,
                     editedAt = m.editedAt, deleted = true}
              else
                v = m
                if hasText == '1' then v.text = text end
                if hasData == '1' then v.data = data end
                v.editedAt = at
              end
              local entry = {id = m.id, channel = m.channel, from = m.from, to = m.to, sentAt = at, update = action}
              if action == 'edit' then
                entry.text = v.text
                entry.data = v.data
              end
              return nil, cjson.encode(v), cjson.encode(entry)
            end
            local function apply(u, id, action, version, entryJson, at, keep)
              local msgs = key(u, 'msgs')
              local copy = current(u, id)
              local answer = nil
              if copy then
                local s = split(copy)
                redis.call('ZREMRANGEBYSCORE', msgs, s, s)
                redis.call('ZADD', msgs, s, s .. '|' .. version)
                answer = s .. '|' .. version
              end
              if action == 'delete' then
                for _, ref in ipairs(redis.call('ZRANGEBYLEX', key(u, 'upd'), '[' .. id .. '|', '(' .. id .. '}')) do
                  local s = tonumber(string.sub(ref, #id + 2))
                  local old = redis.call('ZRANGEBYSCORE', msgs, s, s)[1]
                  if old then
                    local _, oldJson = split(old)
                    local e = cjson.decode(oldJson)
                    e.text = nil
                    e.data = nil
                    redis.call('ZREMRANGEBYSCORE', msgs, s, s)
                    redis.call('ZADD', msgs, s, s .. '|' .. cjson.encode(e))
                  end
                end
              end
              local s, member = addEntry(u, entryJson, at)
              redis.call('ZADD', key(u, 'upd'), 0, id .. '|' .. s)
              publish(u, member)
              trimUser(u, keep, nil)
              return answer
            end
            """;

    /**
     * One message into the recipient's stream and, with the same id, into the sender's (one copy for a note to self),
     * with the idempotency record; published to the nodes of each; both streams trimmed to max per user (by age only in
     * {@link #TRIM_USER}, as the store contract has it: a write never drops what it was just given).
     * KEYS: seq of to, seq of from. ARGV: to, from, id, json, sentAt ms, max per user, now ms, idempotency key
     * ('' for none), fingerprint, record expiry ms.
     * Returns {'ok', seq of to}, {'repeat', first id, first seq}, {'reused'} or {'blocked'}. A repeat rewrites its
     * record unchanged: the first attempt may have been answered 503 because WAIT could not confirm it, and WAIT
     * covers only what the calling connection wrote, so the repeat writes too.
     */
    static final String APPEND = SHARED_TRIM_INDEX + PRELUDE + """
            local to, from, id, json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local at, keep = tonumber(ARGV[5]), tonumber(ARGV[6])
            local now = tonumber(ARGV[7])
            local record = nil
            if ARGV[8] ~= '' then
              record = key(from, 'key:' .. ARGV[8])
              local seen = redis.call('GET', record)
              if seen then
                local a = string.find(seen, '|', 1, true)
                local b = string.find(seen, '|', a + 1, true)
                if string.sub(seen, b + 1) ~= ARGV[9] then return {'reused'} end
                -- Rewritten unchanged so that this connection's last write is at or after the first attempt's:
                -- a WAIT that follows then confirms the message too (RedisReplication). WAIT is documented to
                -- cover the calling connection's writes (Redis 7.0 also counts its reads; not promised).
                redis.call('SET', record, seen, 'KEEPTTL')
                return {'repeat', string.sub(seen, 1, a - 1), tonumber(string.sub(seen, a + 1, b - 1))}
              end
            end
            if to ~= from and blocked(to, from) then return {'blocked'} end
            local seq, member = addMessage(to, from, to ~= from, id, json, at)
            publish(to, member)
            if to ~= from then
              local _, copy = addMessage(from, to, false, id, json, at)
              publish(from, copy)
            end
            if record and tonumber(ARGV[10]) > now then
              redis.call('SET', record, id .. '|' .. seq .. '|' .. ARGV[9], 'PXAT', ARGV[10])
            end
            trimUser(to, keep, nil)
            if to ~= from then trimUser(from, keep, nil) end
            return {'ok', seq}
            """;

    /**
     * An edit or delete by the author: the new version replaces every copy still held, a delete also empties the
     * earlier update entries of the message, and an update entry is appended to both streams (one for a note to self)
     * and published. KEYS: seq of author, seq of other. ARGV: author, other (the message's {@code to}), id, action,
     * '1'/'0' text given, text, '1'/'0' data given, data json text, at (ISO-8601), at ms, '1'/'0' edit window closed,
     * max per user.
     * Returns {'ok', the author's copy}, {'same', the author's copy} (a delete of a deleted message: nothing written),
     * {'not_found'}, {'edit_window_closed'} or {'blocked'}.
     */
    static final String UPDATE = SHARED_TRIM_INDEX + PRELUDE + """
            local author, other, id, action = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local mine = current(author, id)
            if not mine then return {'not_found'} end
            local refusal, version, entryJson = prepare(mine, author, other, action, ARGV[5], ARGV[6], ARGV[7],
                                                        ARGV[8], ARGV[9], ARGV[11],
                                                        function() return blocked(author, other) end)
            if refusal then return refusal end
            local at, keep = tonumber(ARGV[10]), tonumber(ARGV[12])
            local answer = apply(author, id, action, version, entryJson, at, keep)
            if other ~= author then apply(other, id, action, version, entryJson, at, keep) end
            return {'ok', answer}
            """;

    /**
     * Trims one user by count and age, then files the user in the trim index under its oldest entry's time (or takes
     * it out when nothing is left). KEYS: seq of the user. ARGV: user, max per user, cutoff ms (older entries go).
     */
    static final String TRIM_USER = SHARED_TRIM_INDEX + PRELUDE + RedisStreamScripts.TRIM_BODY;

    /** {@link #TRIM_USER} after the helpers and {@code trimDue}: shared with the cluster's per-slot trim. */
    static final String TRIM_BODY = """
            local u = ARGV[1]
            trimUser(u, tonumber(ARGV[2]), tonumber(ARGV[3]))
            local oldest = redis.call('ZRANGE', key(u, 'times'), 0, 0, 'WITHSCORES')
            if #oldest == 0 then
              redis.call('ZREM', trimDue, u)
            else
              redis.call('ZADD', trimDue, oldest[2], u)
            end
            return 1
            """;

    private RedisStreamScripts() {
    }
}
