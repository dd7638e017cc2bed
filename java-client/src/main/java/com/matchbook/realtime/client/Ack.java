package com.matchbook.realtime.client;

/**
 * The server stored a message this client sent: it reaches its recipient now or at their next connect.
 *
 * @param id  the message id (what {@code receipt}s and {@code markRead} refer to)
 * @param seq the message's number in the recipient's history
 */
public record Ack(String id, long seq) {
}
