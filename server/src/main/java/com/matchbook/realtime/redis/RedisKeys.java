package com.matchbook.realtime.redis;

/**
 * Key and channel names. Every key of one user carries the user id as a hash tag ({@code {alice}}), so a user's keys
 * share a slot and the scripts stay valid on a Redis Cluster.
 */
final class RedisKeys {
    static final String ALL_CHANNEL = "mb:all";
    static final String STATS = "mb:stats";

    private RedisKeys() {
    }

    /** Highest seq ever given to the user: never expires, so a seq is never reused. */
    static String seq(String user) {
        return "mb:{" + user + "}:seq";
    }

    /** The user's history: a sorted set scored by seq, members {@code "<seq>|<message json>"}. */
    static String messages(String user) {
        return "mb:{" + user + "}:msgs";
    }

    /** Seq by sentAt (ms), to trim by age. */
    static String times(String user) {
        return "mb:{" + user + "}:times";
    }

    static String confirmed(String user) {
        return "mb:{" + user + "}:confirmed";
    }

    /** Nodes holding the user's connections: node id -> connection count on that node. */
    static String nodes(String user) {
        return "mb:{" + user + "}:nodes";
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
