package com.matchbook.realtime.store;

class MemoryStoreTest extends MessageStoreContract {
    @Override
    MessageStore open() {
        return new MemoryStore(MAX_PER_USER, TTL, announced::add);
    }
}
