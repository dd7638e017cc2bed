package com.matchbook.bench;

/** What a scenario does with each message that carries a generator marker. Called on the event loop. */
interface Listener {
    Listener NONE = (client, id, sentNanos, arrivedNanos) -> {
    };

    void message(Client client, long id, long sentNanos, long arrivedNanos);
}
