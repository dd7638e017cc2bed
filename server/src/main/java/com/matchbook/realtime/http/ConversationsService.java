package com.matchbook.realtime.http;

import java.util.List;
import java.util.Set;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.matchbook.realtime.auth.Access;
import com.matchbook.realtime.message.Frames;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.store.MessageStore;

/**
 * {@code GET /api/users/{id}/conversations} and {@code .../conversations/{with}/messages} (docs/protocol.md
 * "Conversations (1.1)"): the list, most recent activity first, and one conversation's history a page at a time.
 * Both read only what they return (see {@code SqliteSchema} for the indexes).
 */
final class ConversationsService implements HttpService {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;

    private final MessageStore store;
    private final Access access;

    ConversationsService(MessageStore store, Access access) {
        this.store = store;
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/conversations", this::list)
                .get("/{id}/conversations/{with}/messages", this::page);
    }

    /** {@code {"conversations": [{"with", "last", "unread", "blocked"}]}}; {@code blocked}: {@code id} blocks. */
    private void list(ServerRequest req, ServerResponse res) {
        String id = UserRequests.owner(req, access);
        int limit = UserRequests.limit(req, DEFAULT_LIMIT, MAX_LIMIT);
        List<MessageStore.Conversation> conversations = store.conversations(id, limit);
        Set<String> blocked = store.blocks(id);
        // User ids are plain ASCII without quotes or backslashes (docs/protocol.md "Identity"): written as they are.
        StringBuilder out = new StringBuilder(32 + conversations.size() * 256).append("{\"conversations\":[");
        for (int i = 0; i < conversations.size(); i++) {
            MessageStore.Conversation c = conversations.get(i);
            out.append(i == 0 ? "" : ",").append("{\"with\":\"").append(c.with()).append("\",\"last\":")
                    .append(Frames.historyJson(c.last())).append(",\"unread\":").append(c.unread())
                    .append(",\"blocked\":").append(blocked.contains(c.with())).append('}');
        }
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(out.append("]}").toString());
    }

    /** {@code {"messages": [oldest first], "more": bool}}: the newest {@code limit} below {@code before}. */
    private void page(ServerRequest req, ServerResponse res) {
        String id = UserRequests.owner(req, access);
        String with = UserRequests.pathUser(req, "with");
        long before = UserRequests.number(req, "before", Long.MAX_VALUE);
        int limit = UserRequests.limit(req, DEFAULT_LIMIT, MAX_LIMIT);
        MessageStore.Page page = store.conversation(id, with, before, limit);
        StringBuilder out = new StringBuilder(32 + page.messages().size() * 200).append("{\"messages\":[");
        List<Message> messages = page.messages();
        for (int i = 0; i < messages.size(); i++) {
            out.append(i == 0 ? "" : ",").append(Frames.historyJson(messages.get(i)));
        }
        out.append("],\"more\":").append(page.more()).append('}');
        res.header(HeaderValues.CONTENT_TYPE_JSON).send(out.toString());
    }
}
