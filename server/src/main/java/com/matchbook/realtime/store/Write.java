package com.matchbook.realtime.store;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import com.matchbook.realtime.message.Message;

/** One item of the disk store's write queue. */
record Write(Kind kind, Message message, CompletableFuture<Message> done, String user, long cursor, Instant before) {
    enum Kind { MESSAGE, CURSOR, TRIM, STOP }

    static final Write STOP = new Write(Kind.STOP, null, null, null, 0, null);

    Write(Message message, CompletableFuture<Message> done) {
        this(Kind.MESSAGE, message, done, message.to(), 0, null);
    }

    static Write cursor(String user, long confirmed) {
        return new Write(Kind.CURSOR, null, null, user, confirmed, null);
    }

    static Write trim(Instant before) {
        return new Write(Kind.TRIM, null, null, null, 0, before);
    }
}
