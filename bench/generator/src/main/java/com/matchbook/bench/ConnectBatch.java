package com.matchbook.bench;

import java.util.ArrayDeque;
import java.util.List;

/** First connects of a group of clients, a bounded number of handshakes at a time. On the event loop. */
final class ConnectBatch {
    private final Load load;
    private final ArrayDeque<Client> queue;
    private final int limit;
    private int inFlight;
    int ok;
    int failed;

    ConnectBatch(Load load, List<Client> clients, int limit) {
        this.load = load;
        this.queue = new ArrayDeque<>(clients);
        this.limit = limit;
    }

    void pump() {
        while (inFlight < limit && !queue.isEmpty()) {
            Client c = queue.poll();
            c.batch = this;
            inFlight++;
            load.connect(c);
        }
    }

    /** A client of this batch got its welcome, or failed before it. */
    void done(Client c, boolean welcome) {
        c.batch = null;
        inFlight--;
        if (welcome) {
            ok++;
        } else {
            failed++;
        }
        pump();
    }
}
