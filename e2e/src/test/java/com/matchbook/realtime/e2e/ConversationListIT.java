package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.ChatPage.ConversationShown;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Screens;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The chat page's conversation list: from the server on open, kept fresh live, newest first, unread badges. */
@ExtendWith(E2eExtension.class)
class ConversationListIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void theListShowsWhoWroteNewestFirstWithUnreadCountsAndOpeningOneShowsOnlyItsMessages(ServerProcess server,
                                                                                        Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        String carolId = Users.unique("carol");
        SendMessage.accepted(server, aliceId, carolId, "Hi, it's Carol");
        SendMessage.accepted(server, aliceId, bobId, "Hi, it's Bob");

        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        alice.awaitState("open", CONNECT);
        alice.awaitConversations(List.of(new ConversationShown(bobId, 1, "Hi, it's Bob"),
                                         new ConversationShown(carolId, 1, "Hi, it's Carol")), DELIVERY);

        SendMessage.accepted(server, aliceId, carolId, "Are you there?");
        alice.awaitConversations(List.of(new ConversationShown(carolId, 2, "Are you there?"),
                                         new ConversationShown(bobId, 1, "Hi, it's Bob")), DELIVERY);
        for (Screens screen : Screens.values()) {
            screen.apply(alice);
            if (screen == Screens.PHONE) {
                alice.element("#to-list").click();
            }
            screen.screenshot(alice, "conversation-list");
        }

        alice.openConversation(carolId);
        alice.send(carolId, "Yes, here");
        alice.awaitTick("Yes, here", DELIVERY, "sent", "delivered", "read");
        alice.awaitConversations(List.of(new ConversationShown(carolId, 0, "You: Yes, here"),
                                         new ConversationShown(bobId, 1, "Hi, it's Bob")), DELIVERY);
        assertEquals(carolId, alice.element("#to").getDomProperty("value"), "the composer writes to Carol");
        List<String> withCarol = List.of("Hi, it's Carol", "Are you there?", "Yes, here");
        alice.waitUntil(DELIVERY, () -> "only the conversation with Carol should show, in order, each once: "
                                        + withCarol + "; shows " + alice.visibleTexts(),
                        d -> withCarol.equals(alice.visibleTexts()) ? withCarol : null);
        for (Screens screen : Screens.values()) {
            screen.apply(alice);
            screen.screenshot(alice, "conversation-open");
        }
    }
}
