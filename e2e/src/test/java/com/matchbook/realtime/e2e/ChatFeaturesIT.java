package com.matchbook.realtime.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eConfig;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the chat page shows beyond the text itself: receipt ticks, the typing indicator, files. */
@ExtendWith(E2eExtension.class)
class ChatFeaturesIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);
    /** The page sends "stop" 3 s after the last keystroke; the other side hides a stale "start" after 5 s. */
    private static final Duration TYPING_GOES_AWAY = Duration.ofSeconds(10);

    @Test
    void ticksShowSentThenDeliveredThenReadAsTheRecipientGetsAndSeesTheMessage(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        alice.awaitState("open", CONNECT);

        // Bob has never connected: the server stored the message (sent) but nobody received it yet.
        alice.send(bobId, "Are you there?");
        assertEquals("sent", alice.awaitTick("Are you there?", DELIVERY, "sent", "delivered", "read"));

        // Bob opens the chat and looks at it.
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        bob.awaitIncoming("Are you there?", DELIVERY);
        alice.awaitTick("Are you there?", DELIVERY, "read");

        // Bob switches to another tab: the next message reaches his chat tab, but he does not see it.
        WebDriver bobBrowser = bob.focus();
        String chatTab = bobBrowser.getWindowHandle();
        bobBrowser.switchTo().newWindow(WindowType.TAB).get(server.baseUrl() + "/health");
        alice.send(bobId, "Hello?");
        alice.awaitTick("Hello?", DELIVERY, "delivered");
        // Had the hidden tab sent "read", it would have gone out before its (debounced) "received": the tick would show
        // read by now. Reading Bob's tab here would bring it to the front, so only Alice's page is looked at.
        assertEquals("delivered", alice.tickOf("Hello?"), "not read while Bob's chat tab is hidden");

        // He closes the other tab and is back on the chat.
        bobBrowser.switchTo().window(bobBrowser.getWindowHandles().stream()
                                             .filter(h -> !h.equals(chatTab)).findFirst().orElseThrow());
        bobBrowser.close();
        bobBrowser.switchTo().window(chatTab);
        bob.awaitIncoming("Hello?", DELIVERY);
        alice.awaitTick("Hello?", DELIVERY, "read");
    }

    @Test
    void typingIndicatorAppearsWhileTheOtherUserTypesAndGoesAway(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        assertEquals("", alice.typingShown(), "#typing is hidden while nobody types");

        bob.type(aliceId, "I'm wri");
        String shown = alice.waitUntil(DELIVERY, "#typing should show that Bob is typing", d -> {
            String text = alice.typingShown();
            return text.contains(bobId) ? text : null;
        });
        assertTrue(shown.contains("typing"), "#typing says someone is typing: \"" + shown + "\"");
        alice.waitUntil(TYPING_GOES_AWAY, "#typing should go away once Bob stops typing",
                        d -> alice.typingShown().isEmpty());

        bob.type(aliceId, "ting");
        alice.waitUntil(DELIVERY, "#typing should show Bob typing again", d -> alice.typingShown().contains(bobId));
        bob.element("#send").click();
        alice.awaitIncoming("I'm writing", DELIVERY);
        alice.waitUntil(DELIVERY, "#typing should go away when Bob's message arrives", d -> alice.typingShown().isEmpty());
    }

    @Test
    void fileSentFromOneWindowArrivesInTheOtherAsADownload(ServerProcess server, Browsers browsers) throws IOException {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        String content = "Minutes of the meeting\nline two: ünïcödé\n";
        Path file = Files.createTempDirectory(E2eConfig.workDir(), "upload-").resolve("minutes.txt");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);

        alice.sendFile(bobId, file);

        WebElement received = bob.waitUntil(DELIVERY, "Bob's #messages should show a .message.file",
                                            d -> d.findElements(By.cssSelector("#messages .message.file")).stream()
                                                    .findFirst().orElse(null));
        assertEquals(aliceId, received.getDomAttribute("data-from"));
        WebElement link = received.findElement(By.cssSelector("a"));
        assertEquals("minutes.txt", link.getText(), "the link is named after the file");
        assertEquals("minutes.txt", link.getDomAttribute("download"), "the link downloads under the file's name");
        link.click();
        Path downloaded = browsers.downloadsOf(bob.focus()).resolve("minutes.txt");
        bob.waitUntil(DELIVERY, "clicking the link should save " + downloaded,
                      d -> browsers.downloaded(bob.focus(), "minutes.txt"));
        assertEquals(content, Files.readString(downloaded, StandardCharsets.UTF_8), "the download holds the bytes Alice chose");
        alice.awaitTick("minutes.txt", DELIVERY, "sent", "delivered", "read");
        assertEquals(List.of(), bob.messages().stream().filter(m -> !m.from().equals(aliceId)).toList(),
                     "nothing else arrived");
    }
}
