package com.matchbook.realtime.redis;

import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Running Lua scripts, and the small ones of routing, receipts cursors and presence. Scripts are loaded once and called
 * by SHA; reloaded after a Redis restart forgot them. The stream writes are in {@link RedisStreamScripts}, the
 * conversation reads in {@link RedisReadScripts}.
 */
final class RedisScripts {
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

    /**
     * Runs a script by SHA, loading it first when Redis does not know it (first use, or after a restart). Every script
     * here names at least one key, and all its keys share one slot (Redis Cluster runs it on that slot's primary).
     */
    static Object run(UnifiedJedis redis, String script, List<String> keys, List<String> args) {
        String sha = Sha1.hex(script);
        try {
            return redis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            // Loaded where the first key lives: in Redis Cluster each shard has its own script cache.
            redis.scriptLoad(script, keys.getFirst());
            return redis.evalsha(sha, keys, args);
        }
    }
}
