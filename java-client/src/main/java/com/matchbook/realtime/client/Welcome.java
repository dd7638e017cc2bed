package com.matchbook.realtime.client;

import java.util.Optional;

import com.matchbook.realtime.protocol.JsonFields;

import jakarta.json.JsonObject;

/**
 * The server's first frame on every connection.
 *
 * @param connectionId   the server's name for this socket (for logs)
 * @param heartbeatMs    the server pings this often; silence for longer (plus a grace) means the connection is dead
 * @param heartbeatTimeoutMs how long after a ping the server waits for an answer before it closes (this server's
 *                       extra field, README "Protocol in brief"); 0 when the server does not send it
 * @param lastSeq        the highest seq in this user's history
 * @param replayFrom     first seq of the replay that follows ({@code replayFrom > replayTo}: nothing to replay)
 * @param replayTo       last seq of that replay
 * @param replayComplete false when history no longer holds the first wanted message: resync over HTTP
 */
record Welcome(String connectionId, long heartbeatMs, long heartbeatTimeoutMs, long lastSeq, long replayFrom, long replayTo,
               boolean replayComplete) {

    static Optional<Welcome> fromJson(JsonObject o) {
        long heartbeatMs = JsonFields.number(o, "heartbeatMs").orElse(0);
        if (heartbeatMs <= 0) {
            return Optional.empty();
        }
        long heartbeatTimeoutMs = Math.max(0, JsonFields.number(o, "heartbeatTimeoutMs").orElse(0));
        long lastSeq = JsonFields.number(o, "lastSeq").orElse(0);
        // A server without history sends no replay: nothing to replay, nothing missing.
        Optional<JsonObject> replay = JsonFields.object(o, "replay");
        long from = replay.map(r -> JsonFields.number(r, "from").orElse(lastSeq + 1)).orElse(lastSeq + 1);
        long to = replay.map(r -> JsonFields.number(r, "to").orElse(lastSeq)).orElse(lastSeq);
        boolean complete = replay.map(r -> JsonFields.bool(r, "complete", true)).orElse(true);
        return Optional.of(new Welcome(JsonFields.string(o, "connectionId", ""), heartbeatMs, heartbeatTimeoutMs,
                                       lastSeq, from, to, complete));
    }
}
