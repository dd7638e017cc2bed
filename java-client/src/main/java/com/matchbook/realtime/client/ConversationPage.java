package com.matchbook.realtime.client;

import java.util.List;
import java.util.OptionalLong;

/**
 * One page of a conversation's history (docs/protocol.md 1.1, "Conversations":
 * {@code GET /api/users/{id}/conversations/{with}/messages?before=&limit=}).
 *
 * @param messages oldest first, each in its latest version (edited, or deleted without content)
 * @param more     whether the server retains older messages of this conversation
 */
public record ConversationPage(List<Message> messages, boolean more) {

    /** The {@code before} that asks for the page older than this one; empty for an empty page. */
    public OptionalLong oldestSeq() {
        return messages.isEmpty() ? OptionalLong.empty() : messages.getFirst().seq();
    }
}
