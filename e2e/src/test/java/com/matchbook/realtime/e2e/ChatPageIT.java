package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat page against the shared server: connecting, receiving from HTTP, and chatting between windows. */
@ExtendWith(E2eExtension.class)
class ChatPageIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void pageConnectsAndSaysSo(ServerProcess server, Browsers browsers) {
        ChatPage alice = ChatPage.open(browsers.open(), server, Users.unique("alice"));

        String shown = alice.awaitState("open", CONNECT);

        assertTrue(Page.saysConnected(shown), "#status should say connected, shows \"" + shown + "\"");
        assertTrue(alice.element("#status").isDisplayed(), "#status should be visible");
    }

    @Test
    void messagePostedOverHttpAppearsWithinOneSecond(ServerProcess server, Browsers browsers) {
        String userId = Users.unique("alice");
        ChatPage alice = ChatPage.open(browsers.open(), server, userId);
        alice.awaitState("open", CONNECT);
        String text = "from the server " + Instant.now();

        Instant posted = Instant.now();
        SendMessage.accepted(server, userId, "server", text);
        Duration left = Duration.ofSeconds(1).minus(Duration.between(posted, Instant.now()));
        WebElement shown = alice.awaitIncoming(text, left.isNegative() ? Duration.ZERO : left);

        assertEquals("server", shown.getDomAttribute("data-from"), "the message should name its sender");
        assertEquals(List.of(text), alice.incomingTexts(), "exactly one message, once");
    }

    @Test
    void twoUsersChatBothWaysAndEveryWindowOfAUserSeesTheSameMessages(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage aliceSecondWindow = alice.openAnotherWindow(server);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        for (ChatPage page : List.of(alice, aliceSecondWindow, bob)) {
            page.awaitState("open", CONNECT);
        }

        alice.send(bobId, "Hi Bob, it's Alice");
        bob.awaitIncoming("Hi Bob, it's Alice", DELIVERY);
        bob.send(aliceId, "Hello Alice!");
        alice.awaitIncoming("Hello Alice!", DELIVERY);
        alice.send(bobId, "Lunch at noon?");
        bob.awaitIncoming("Lunch at noon?", DELIVERY);
        // Three in a row, without waiting in between: they must still show in the order they were sent.
        bob.send(aliceId, "Yes");
        bob.send(aliceId, "Noon works");
        bob.send(aliceId, "See you there");
        alice.awaitIncoming("See you there", DELIVERY);
        aliceSecondWindow.awaitIncoming("See you there", DELIVERY);

        List<String> fromBob = List.of("Hello Alice!", "Yes", "Noon works", "See you there");
        assertEquals(List.of("Hi Bob, it's Alice", "Hello Alice!", "Lunch at noon?", "Yes", "Noon works", "See you there"),
                     alice.allTexts(), "Alice's window shows the conversation in order");
        assertEquals(List.of(new ChatPage.Shown(aliceId, "Hi Bob, it's Alice", true),
                             new ChatPage.Shown(bobId, "Hello Alice!", false)),
                     alice.messages().subList(0, 2), "Alice's own message is marked mine, Bob's names Bob");
        assertEquals(fromBob, aliceSecondWindow.incomingTexts(),
                     "Alice's second window shows what Bob sent, like the first, in the same order");
        assertEquals(alice.incomingTexts(), aliceSecondWindow.incomingTexts(), "both of Alice's windows agree");
        assertEquals(List.of("Hi Bob, it's Alice", "Lunch at noon?"), bob.incomingTexts(),
                     "Bob's window shows what Alice sent, in order, once each");
        assertEquals(List.of("Hi Bob, it's Alice", "Hello Alice!", "Lunch at noon?", "Yes", "Noon works", "See you there"),
                     bob.allTexts(), "Bob's window shows the conversation in order");
    }
}
