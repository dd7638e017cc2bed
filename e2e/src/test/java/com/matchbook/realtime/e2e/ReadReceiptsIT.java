package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reading many messages at once (issue 13/12): `read` is cumulative (docs/protocol.md, Client to server), so a page
 * coming back to a long backlog sends one per conversation, not one per message, and stays under the server's frame
 * limit (50/s, bursts of 100: an `error` frame, then 4029); the sender's page marks every earlier message read.
 */
@ExtendWith(E2eExtension.class)
class ReadReceiptsIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static final int COUNT = 150;

    @Test
    void comingBackTo150UnreadMessagesStaysConnectedShowsEachOnceAndTheSenderSeesAllRead(ServerProcess server,
                                                                                      Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage bob = ChatPage.openTalkingTo(browsers.open(), server, bobId, aliceId);
        bob.awaitState("open", CONNECT);

        // While Alice's page is closed, Bob's service posts 150 messages to her; his page shows them as his, unread.
        List<String> texts = IntStream.rangeClosed(1, COUNT).mapToObj(i -> "Backlog " + i).toList();
        for (String text : texts) {
            SendMessage.accepted(server, aliceId, bobId, text);
        }
        bob.waitUntil(DELIVERY, () -> "Bob's page should show his " + COUNT + " messages; shows " + ticks(bob).size(),
                      d -> ticks(bob).size() == COUNT ? true : null);

        ChatPage alice = ChatPage.openTalkingTo(browsers.open(), server, aliceId, bobId);
        alice.recordStatus();
        alice.awaitState("open", CONNECT);
        alice.waitUntil(DELIVERY, () -> "Alice should see the " + COUNT + " messages once each, in order; sees "
                                        + alice.incoming().size(),
                        d -> alice.incoming().stream().map(ChatPage.Incoming::text).toList().equals(texts) ? true : null);

        // Bob's page: every one of his messages, not only the newest Alice's page named, shows as read, in words too.
        bob.waitUntil(DELIVERY, () -> "all of Bob's ticks should say read; they show "
                                      + ticks(bob).stream().distinct().toList(),
                      d -> ticks(bob).stream().allMatch("read|Read"::equals) ? true : null);

        // Alice's page was never closed or told it sends too much: still connected, no error shown.
        assertEquals("", alice.errorShown(), "Alice's page shows no error (a rate_limited one means too many frames)");
        alice.assertHolds(Duration.ofSeconds(2), "Alice's page stays connected without an error",
                          d -> "open".equals(alice.state()) && alice.errorShown().isEmpty());
        List<String> states = alice.statusHistory().stream().map(Page.StatusShown::state).toList();
        assertEquals(List.of("open"), states.subList(states.indexOf("open"), states.size()).stream().distinct().toList(),
                     "once connected, Alice's status never left it: " + alice.statusHistory());
        assertEquals(texts, alice.incoming().stream().map(ChatPage.Incoming::text).toList(), "each message once");
    }

    /** Each of my messages' tick on the page, top to bottom: its data-status and its screen-reader words, as "status|words". */
    private static List<String> ticks(ChatPage page) {
        Object rows = page.script("return Array.from(document.querySelectorAll('#messages .message.mine .tick'))"
                                  + ".map(t => t.dataset.status + '|' + t.querySelector('.visually-hidden, .tick-words')"
                                  + ".textContent);");
        return ((List<?>) rows).stream().map(String::valueOf).toList();
    }
}
