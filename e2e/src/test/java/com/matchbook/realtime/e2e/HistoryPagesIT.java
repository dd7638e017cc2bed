package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Screens;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A conversation longer than one page (the page asks for 50): older pages as the reader scrolls up, or on the button. */
@ExtendWith(E2eExtension.class)
class HistoryPagesIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(10);

    @Test
    void scrollingUpAndLoadOlderShowEarlierPagesAboveInOrderEachOnceKeepingTheReadersPlace(ServerProcess server,
                                                                                          Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        // Mostly Alice's own (from another device of hers), every sixth Bob's: both sides of the conversation, and no
        // more `read` frames from her page than a person reading at once would send.
        List<String> all = IntStream.rangeClosed(1, 120).mapToObj(i -> (i % 6 == 0 ? "Bob " : "Alice ") + i).toList();
        for (String text : all) {
            if (text.startsWith("Bob")) {
                SendMessage.accepted(server, aliceId, bobId, text);
            } else {
                SendMessage.accepted(server, bobId, aliceId, text);
            }
        }
        ChatPage alice = ChatPage.openTalkingTo(browsers.open(), server, aliceId, bobId);
        alice.awaitState("open", CONNECT);
        alice.awaitTexts(all, DELIVERY); // all new to her: the socket's replay brings them
        // After a reload the socket resumes after them, so what shows comes from the conversation's pages alone.
        alice.reload();
        alice.awaitState("open", CONNECT);
        alice.awaitTexts(all.subList(70, 120), DELIVERY);
        assertTrue(alice.element("#load-older").isDisplayed(), "older messages are offered");
        alice.waitUntil(DELIVERY, "the newest page shows its newest message at the bottom, also once the header's"
                                  + " Block button has come", d -> atBottom(alice) ? true : null);

        // The reader scrolls to the top: the page before comes in above, and message 71 stays where it was.
        double before = ((Number) alice.script(
                "document.getElementById('messages').scrollTop = 0; return (" + TOP_OF + ")(arguments[0]);",
                "Alice 71")).doubleValue();
        alice.awaitTexts(all.subList(20, 120), DELIVERY);
        double after = topOf(alice, "Alice 71");
        assertEquals(before, after, 2.0, "the message the reader was looking at stays in place");

        // The rest with the button.
        Screens.DESKTOP.apply(alice);
        Screens.DESKTOP.screenshot(alice, "chat-older-loaded");
        alice.element("#load-older").click();
        alice.awaitTexts(all, DELIVERY);
        alice.waitUntil(DELIVERY, "with nothing older left the button goes away",
                        d -> !alice.element("#load-older").isDisplayed());
        assertEquals(all, alice.allTexts(), "every message once, oldest first");
        assertFalse(atBottom(alice), "loading older pages never jumps to the bottom");
    }

    /** A script function: how far below the top of {@code #messages}'s view the message with this text is, in px. */
    private static final String TOP_OF = "(text) => { const list = document.getElementById('messages');"
            + " const item = Array.from(list.querySelectorAll('.message')).find(li => li.querySelector('.body')"
            + ".textContent === text); return item.getBoundingClientRect().top - list.getBoundingClientRect().top; }";

    private static double topOf(ChatPage page, String text) {
        return ((Number) page.script("return (" + TOP_OF + ")(arguments[0]);", text)).doubleValue();
    }

    private static boolean atBottom(ChatPage page) {
        return Boolean.TRUE.equals(page.script("const l = document.getElementById('messages');"
                                               + " return l.scrollHeight - l.scrollTop - l.clientHeight < 4;"));
    }
}
