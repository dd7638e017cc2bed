package com.matchbook.realtime.client;

import java.util.Optional;

/**
 * One entry of the conversation list (docs/protocol.md 1.1, "Conversations":
 * {@code GET /api/users/{id}/conversations}).
 *
 * @param with    the other person
 * @param last    the conversation's most recent message, in its latest version (empty if the server sent none)
 * @param unread  messages from {@code with} after this user's last {@code read} in the conversation
 * @param blocked true when this user blocks {@code with} (never whether {@code with} blocks this user)
 */
public record ConversationSummary(String with, Optional<Message> last, long unread, boolean blocked) {
}
