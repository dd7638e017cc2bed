package com.matchbook.realtime.client;

/**
 * Something went wrong that is not the answer to one send: an {@code error} frame without a known {@code ref}, a
 * resync that gave up (messages may be missing), or a close that ended the client.
 *
 * @param code    the server's error code, a close code as text, or {@code resync-failed}
 * @param message what happened, in words
 */
public record ClientError(String code, String message) {
}
