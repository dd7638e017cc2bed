package com.matchbook.realtime.conversations;

import java.util.Map;

/** The conversations contract over HTTP and WebSocket, and its restart, on the default store ({@code tiered}). */
class TieredConversationsTest extends DiskConversationsTest {
    @Override
    Map<String, String> storeSettings() {
        return Map.of("matchbook.store", "tiered", "matchbook.data-dir", dataDir.toString());
    }
}
