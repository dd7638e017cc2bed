package com.matchbook.realtime.redis;

/**
 * The Lua scripts that read through the conversation index ({@link RedisKeys}): each answer is one round trip, and
 * costs in proportion to what it returns (a page, a list), not to the user's history. KEYS: the user's {@code seq}
 * key (the slot); ARGV[1]: the user.
 */
final class RedisReadScripts {
    private static final String KEY = """
            local function key(u, name) return 'mb:{' .. u .. '}:' .. name end
            """;

    /** The message (not update entry) with id ARGV[2], as its member, or nil. */
    static final String FIND = KEY + """
            local seq = redis.call('HGET', key(ARGV[1], 'ids'), ARGV[2])
            if not seq then return false end
            return redis.call('ZRANGEBYSCORE', key(ARGV[1], 'msgs'), seq, seq)[1] or false
            """;

    /**
     * Raises the read marker of the conversation of message ARGV[2] to its seq (never lowers it); returns the
     * message's member, or nil when the stream holds no such message.
     */
    static final String MARK_READ = KEY + """
            local u = ARGV[1]
            local seq = redis.call('HGET', key(u, 'ids'), ARGV[2])
            if not seq then return false end
            local member = redis.call('ZRANGEBYSCORE', key(u, 'msgs'), seq, seq)[1]
            if not member then return false end
            local m = cjson.decode(string.sub(member, string.find(member, '|', 1, true) + 1))
            local peer = m.to
            if m.to == u then peer = m.from end
            local read = key(u, 'read')
            if tonumber(redis.call('HGET', read, peer) or '0') < tonumber(seq) then
              redis.call('HSET', read, peer, seq)
            end
            return member
            """;

    /**
     * The ARGV[2] most recently active conversations: a flat list of (other person, newest message's member, unread
     * count).
     */
    static final String CONVERSATIONS = KEY + """
            local u = ARGV[1]
            local out = {}
            local list = redis.call('ZREVRANGE', key(u, 'convs'), 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
            for i = 1, #list, 2 do
              local peer, seq = list[i], list[i + 1]
              local member = redis.call('ZRANGEBYSCORE', key(u, 'msgs'), seq, seq)[1]
              if member then
                local unread = 0
                if peer ~= u then
                  local read = redis.call('HGET', key(u, 'read'), peer) or '0'
                  unread = redis.call('ZCOUNT', key(u, 'in:' .. peer), '(' .. read, '+inf')
                end
                out[#out + 1] = peer
                out[#out + 1] = member
                out[#out + 1] = unread
              end
            end
            return out
            """;

    /**
     * One page of the conversation with ARGV[2]: the ARGV[4] newest messages with a seq below ARGV[3] (a score bound:
     * {@code (N} or {@code +inf}). Returns {1 or 0 (older ones retained), {members, newest first}}.
     */
    static final String PAGE = KEY + """
            local u, limit = ARGV[1], tonumber(ARGV[4])
            local seqs = redis.call('ZREVRANGEBYSCORE', key(u, 'conv:' .. ARGV[2]), ARGV[3], '-inf',
                                    'LIMIT', 0, limit + 1)
            local out = {}
            for i = 1, math.min(#seqs, limit) do
              local member = redis.call('ZRANGEBYSCORE', key(u, 'msgs'), seqs[i], seqs[i])[1]
              if member then out[#out + 1] = member end
            end
            local more = 0
            if #seqs > limit then more = 1 end
            return {more, out}
            """;

    private RedisReadScripts() {
    }
}
