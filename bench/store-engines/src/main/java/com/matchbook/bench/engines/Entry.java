package com.matchbook.bench.engines;

/**
 * One stream entry as the disk store writes it (server {@code SqliteBatch.insert}): every accepted message is two of
 * these, the recipient's (unread +1) and the sender's copy (PROTOCOL.md "Conversations (1.1)").
 *
 * @param user        whose stream
 * @param seq         that stream's seq, numbered before the write as the server numbers it (in memory)
 * @param id          the message id, shared by both entries: 26 characters, time-ordered like the server's
 * @param sender      who sent the message
 * @param peer        the other person of the conversation
 * @param text        the message's text, UTF-8 (the benchmark's 100 bytes)
 * @param sentAtNanos send time in nanoseconds since the epoch
 * @param unread      1 when the entry raises the conversation's unread count (the recipient's), else 0
 */
record Entry(String user, long seq, String id, String sender, String peer, String text, long sentAtNanos,
             int unread) {
}
