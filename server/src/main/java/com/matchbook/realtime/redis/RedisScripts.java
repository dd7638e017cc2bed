package com.matchbook.realtime.redis;

import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua scripts that make multi-key steps atomic. Loaded once and called by SHA; reloaded after a Redis restart
 * forgot them.
 */
final class RedisScripts {
    /**
     * Numbers, stores, trims and routes one message in one atomic step: because the message is published to the
     * nodes holding its recipient inside the same script that numbers it, every node sees a user's messages in seq
     * order, and a node that registered the user before reading history cannot miss one.
     * KEYS: seq, msgs, times, nodes. ARGV: message json, sentAt ms, max per user, ttl ms, now ms.
     */
    static final String APPEND = """
            local seq = redis.call('INCR', KEYS[1])
            local member = seq .. '|' .. ARGV[1]
            redis.call('ZADD', KEYS[2], seq, member)
            redis.call('ZADD', KEYS[3], ARGV[2], seq)
            local keep = tonumber(ARGV[3])
            if seq > keep then
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', seq - keep)
              redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(keep + 1))
            end
            local cutoff = tonumber(ARGV[5]) - tonumber(ARGV[4])
            local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. cutoff)
            if #old > 0 then
              redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', old[#old])
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. cutoff)
            end
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            redis.call('PEXPIRE', KEYS[3], ARGV[4])
            for _, node in ipairs(redis.call('HKEYS', KEYS[4])) do
              redis.call('PUBLISH', 'mb:node:' .. node, 'M' .. member)
            end
            return seq
            """;

    /** A transient frame to the nodes holding a user. KEYS: nodes. ARGV: payload. */
    static final String ROUTE = """
            for _, node in ipairs(redis.call('HKEYS', KEYS[1])) do
              redis.call('PUBLISH', 'mb:node:' .. node, ARGV[1])
            end
            return 1
            """;

    /**
     * Raises the confirmed cursor, never past the last seq; returns the previous value, or -1 if nothing changed.
     * KEYS: confirmed, seq. ARGV: target.
     */
    static final String CONFIRM = """
            local last = tonumber(redis.call('GET', KEYS[2]) or '0')
            local target = math.min(tonumber(ARGV[1]), last)
            local previous = tonumber(redis.call('GET', KEYS[1]) or '0')
            if target <= previous then
              return -1
            end
            redis.call('SET', KEYS[1], target)
            return previous
            """;

    /** Drops a node's presence entry if it is still zero after the grace. KEYS: nodes. ARGV: node. */
    static final String DROP_IF_ZERO = """
            if redis.call('HGET', KEYS[1], ARGV[1]) == '0' then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 1
            """;

    private RedisScripts() {
    }

    /** Runs a script by SHA, loading it first when Redis does not know it (first use, or after a restart). */
    static Object run(UnifiedJedis redis, String script, List<String> keys, List<String> args) {
        String sha = Sha1.hex(script);
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            redis.scriptLoad(script);
            return redis.evalsha(sha, keys, args);
        }
    }
}
