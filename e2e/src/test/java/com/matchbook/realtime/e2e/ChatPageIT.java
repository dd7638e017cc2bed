package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.Screens;
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
        // The page itself notes when the message shows (a MutationObserver reading Date.now(), the clock this JVM
        // reads too): the second runs from the post to the page showing it, not to the WebDriver poll that finds it,
        // which on a loaded machine comes hundreds of milliseconds later.
        alice.script("""
                             const text = arguments[0];
                             const list = document.getElementById('messages');
                             const shown = () => [...list.querySelectorAll('.message:not(.mine) .body')]
                                     .some(body => body.textContent.trim() === text);
                             window.e2eShownAt = null;
                             new MutationObserver((records, observer) => {
                                 if (window.e2eShownAt === null && shown()) {
                                     window.e2eShownAt = Date.now();
                                     observer.disconnect();
                                 }
                             }).observe(list, {childList: true, characterData: true, subtree: true});
                             """, text);

        long posted = System.currentTimeMillis();
        SendMessage.accepted(server, userId, "server", text);
        WebElement shown = alice.awaitIncoming(text, DELIVERY);
        Object shownAt = alice.script("return window.e2eShownAt;");
        assertTrue(shownAt instanceof Number, "the page noted no time for the message: " + shownAt);
        long tookMs = ((Number) shownAt).longValue() - posted;
        assertTrue(tookMs <= 1000, "shown " + tookMs + " ms after the post: more than one second");

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

    @Test
    void eachMessageAliceSendsShowsOnceOnHerPageOnHerOtherDeviceAndOnBobs(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        // Another browser session: its own connection, as a phone next to the laptop (not a tab sharing one).
        ChatPage alicePhone = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        for (ChatPage page : List.of(alice, alicePhone, bob)) {
            page.awaitState("open", CONNECT);
        }
        List<String> sent = List.of("one", "two", "three");

        for (String text : sent) {
            alice.send(bobId, text);
        }
        for (String text : sent) {
            bob.awaitIncoming(text, DELIVERY);
            alicePhone.awaitMine(text, DELIVERY);
            alice.awaitTick(text, DELIVERY, "sent", "delivered", "read");
        }
        // Bob's answer comes after the three copies in Alice's stream: once it shows, every copy has arrived.
        bob.send(aliceId, "got them");
        alice.awaitIncoming("got them", DELIVERY);
        alicePhone.awaitIncoming("got them", DELIVERY);

        List<ChatPage.Shown> aliceSees = List.of(new ChatPage.Shown(aliceId, "one", true),
                                                 new ChatPage.Shown(aliceId, "two", true),
                                                 new ChatPage.Shown(aliceId, "three", true),
                                                 new ChatPage.Shown(bobId, "got them", false));
        assertEquals(aliceSees, alice.messages(), "Alice's page shows each of her messages once, as hers");
        assertEquals(aliceSees, alicePhone.messages(),
                     "her other device shows them once too, on her side, before Bob's answer");
        assertEquals(List.of("one", "two", "three"), bob.incomingTexts(), "Bob sees each once");
        for (String text : sent) {
            alicePhone.awaitTick(text, DELIVERY, "sent", "delivered", "read");
        }
    }

    @Test
    void afterAReloadThePageShowsBothPeoplesMessagesInOrder(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.openTalkingTo(browsers.open(), server, aliceId, bobId);
        ChatPage bob = ChatPage.openTalkingTo(browsers.open(), server, bobId, aliceId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        alice.send(bobId, "Are you coming?");
        bob.awaitIncoming("Are you coming?", DELIVERY);
        bob.send(aliceId, "Yes, at six");
        alice.awaitIncoming("Yes, at six", DELIVERY);
        alice.send(bobId, "Great");
        bob.awaitIncoming("Great", DELIVERY);
        List<String> conversation = List.of("Are you coming?", "Yes, at six", "Great");

        alice.reload();
        alice.awaitState("open", CONNECT);
        alice.awaitTexts(conversation, DELIVERY);
        // A browser that never saw the conversation (a new device): the page loads it from the server.
        ChatPage bobElsewhere = ChatPage.openTalkingTo(browsers.open(), server, bobId, aliceId);
        bobElsewhere.awaitState("open", CONNECT);
        bobElsewhere.awaitTexts(conversation, DELIVERY);

        assertEquals(List.of(new ChatPage.Shown(aliceId, "Are you coming?", true),
                             new ChatPage.Shown(bobId, "Yes, at six", false),
                             new ChatPage.Shown(aliceId, "Great", true)),
                     alice.messages(), "after the reload Alice's messages are hers, Bob's name Bob, in order");
        assertEquals(List.of("Yes, at six"), bobElsewhere.messages().stream()
                             .filter(ChatPage.Shown::mine).map(ChatPage.Shown::text).toList(),
                     "on Bob's new device his own message is on his side");
    }

    @Test
    void whileAliceBlocksBobHisMessageIsRefusedInHisPageAndAfterUnblockingItArrives(ServerProcess server,
                                                                                   Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.openTalkingTo(browsers.open(), server, aliceId, bobId);
        ChatPage bob = ChatPage.openTalkingTo(browsers.open(), server, bobId, aliceId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        alice.waitUntil(DELIVERY, "the conversation header should offer to block Bob",
                        d -> alice.element("#block").getText().equals("Block " + bobId) ? true : null);

        alice.element("#block").click();
        alice.waitUntil(DELIVERY, "the button should then offer to unblock Bob",
                        d -> alice.element("#block").getText().equals("Unblock " + bobId) ? true : null);
        bob.send(aliceId, "are you angry?");
        bob.awaitTick("are you angry?", DELIVERY, "failed");
        String refusal = bob.element("#messages .message.mine .tick").getText();
        assertTrue(refusal.contains("Not sent: ") && refusal.length() > "! Not sent: ".length(),
                   "Bob's page says the message was not sent, and why: \"" + refusal + "\"");

        alice.element("#block").click();
        alice.waitUntil(DELIVERY, "the button should offer to block Bob again",
                        d -> alice.element("#block").getText().equals("Block " + bobId) ? true : null);
        bob.send(aliceId, "hello again");
        alice.awaitIncoming("hello again", DELIVERY);
        assertEquals(List.of("hello again"), alice.incomingTexts(), "the refused message never reached Alice");
    }

    @Test
    void anEditAndADeleteShowOnBothPagesAndSurviveAReload(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.openTalkingTo(browsers.open(), server, aliceId, bobId);
        ChatPage bob = ChatPage.openTalkingTo(browsers.open(), server, bobId, aliceId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        alice.send(bobId, "See you at 7");
        alice.send(bobId, "wrong chat, sorry");
        String firstId = bob.awaitIncoming("See you at 7", DELIVERY).getDomAttribute("data-id");
        String secondId = bob.awaitIncoming("wrong chat, sorry", DELIVERY).getDomAttribute("data-id");
        alice.awaitTick("wrong chat, sorry", DELIVERY, "sent", "delivered", "read");

        alice.editMine("See you at 7", "See you at 8");
        alice.deleteMine("wrong chat, sorry");

        for (ChatPage page : List.of(alice, bob)) {
            page.awaitShownAs(firstId, "See you at 8", true, DELIVERY);
            page.awaitShownAs(secondId, "Message deleted", false, DELIVERY);
        }
        // The deleted message was the conversation's last: both lists say so, not its old text.
        alice.awaitConversationLast(bobId, "You: Message deleted", DELIVERY);
        bob.awaitConversationLast(aliceId, "Message deleted", DELIVERY);
        bob.reload();
        bob.awaitState("open", CONNECT);
        bob.awaitShownAs(firstId, "See you at 8", true, DELIVERY);
        bob.awaitShownAs(secondId, "Message deleted", false, DELIVERY);
        assertEquals(List.of("See you at 8", "Message deleted"), bob.allTexts(), "each once after the reload");
        bob.awaitConversationLast(aliceId, "Message deleted", DELIVERY);

        // An edit of the last message: both lists show the new text, live and after a reload.
        alice.send(bobId, "Dinner at 9?");
        String thirdId = bob.awaitIncoming("Dinner at 9?", DELIVERY).getDomAttribute("data-id");
        alice.awaitTick("Dinner at 9?", DELIVERY, "sent", "delivered", "read");
        alice.editMine("Dinner at 9?", "Dinner at 10?");
        bob.awaitShownAs(thirdId, "Dinner at 10?", true, DELIVERY);
        alice.awaitConversationLast(bobId, "You: Dinner at 10?", DELIVERY);
        bob.awaitConversationLast(aliceId, "Dinner at 10?", DELIVERY);
        alice.reload();
        alice.awaitState("open", CONNECT);
        alice.awaitShownAs(thirdId, "Dinner at 10?", true, DELIVERY);
        alice.awaitConversationLast(bobId, "You: Dinner at 10?", DELIVERY);
        bob.reload();
        bob.awaitState("open", CONNECT);
        bob.awaitConversationLast(aliceId, "Dinner at 10?", DELIVERY);
        assertEquals(List.of("See you at 8", "Message deleted", "Dinner at 10?"), bob.allTexts(),
                     "each once, in its latest version, after the second reload");
        Screens.DESKTOP.apply(alice);
        Screens.DESKTOP.screenshot(alice, "chat-edited");
        Screens.PHONE.apply(alice);
        Screens.PHONE.screenshot(alice, "chat-edited");
    }
}
