package com.matchbook.realtime.conversations;

import java.util.Map;

class MemoryConversationsTest extends ConversationsContract {
    @Override
    Map<String, String> storeSettings() {
        return Map.of("matchbook.store", "memory");
    }
}
