package com.matchbook.realtime.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Axe;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.ChatPage.ConversationShown;
import com.matchbook.realtime.e2e.support.E2eConfig;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.Screens;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages for people who use a screen reader or only a keyboard, at a desktop and a phone size: axe-core finds no
 * WCAG 2.1 A/AA violation, a message can be sent with Tab and Enter alone, and the phone layout stays compact. Saves
 * the screenshots people review under {@code target/screenshots/}.
 */
@ExtendWith(E2eExtension.class)
class AccessibilityIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void chatPageAndPanelHaveNoWcagViolationsAtBothSizes(ServerProcess server, Browsers browsers) throws IOException {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        // A conversation with what the page can show: text both ways, ticks, a picture with its preview and link.
        bob.send(aliceId, "Hi! Are we still on for Saturday?");
        alice.awaitIncoming("Hi! Are we still on for Saturday?", DELIVERY);
        alice.send(bobId, "Yes, 7 pm at the usual place.");
        alice.awaitTick("Yes, 7 pm at the usual place.", DELIVERY, "read");
        bob.sendFile(aliceId, picture());
        alice.waitUntil(DELIVERY, "the picture should show with a preview", d -> alice.count("#messages img.preview") == 1);
        alice.send(bobId, "Lovely photo 😊");
        alice.awaitTick("Lovely photo 😊", DELIVERY, "sent", "delivered", "read");
        AdminPage panel = AdminPage.openBeside(alice, server, aliceId);
        panel.awaitState("open", CONNECT);
        panel.waitUntil(DELIVERY, "stats loaded", d -> panel.count("#stats dd") > 0);

        List<String> problems = new ArrayList<>();
        for (Screens screen : Screens.values()) {
            screen.apply(alice);
            problems.addAll(check(alice, "chat", screen));
            screen.apply(panel);
            problems.addAll(check(panel, "admin", screen));
        }
        assertEquals(List.of(), problems, "axe-core: WCAG 2.1 A/AA violations");

        Screens.PHONE.apply(alice);
        long header = ((Number) alice.script("return document.querySelector('.bar').getBoundingClientRect().height;"))
                .longValue();
        assertTrue(header <= 56, "at 390 px the header is one compact line: " + header + " px");
        for (Object row : (List<?>) alice.script(
                "return Array.from(document.querySelectorAll('.composer .row')).map(r => r.getBoundingClientRect().height);")) {
            assertTrue(((Number) row).doubleValue() <= 48, "each composer row stays on one line at 390 px: " + row);
        }
    }

    @Test
    void theOfflineBannerIsAccessibleAtBothSizes(@OwnServer ServerProcess server, Browsers browsers) {
        browsers.expectNetworkErrors(); // the server goes down on purpose
        String aliceId = Users.unique("alice");
        ChatPage alice = ChatPage.openTalkingTo(browsers.open(), server, aliceId, Users.unique("bob"));
        alice.awaitState("open", CONNECT);
        server.kill();
        alice.waitUntil(Duration.ofSeconds(20), "the offline banner should count down",
                        d -> alice.offlineCountdownSeconds() >= 1);
        List<String> problems = new ArrayList<>();
        for (Screens screen : Screens.values()) {
            screen.apply(alice);
            problems.addAll(check(alice, "chat-offline", screen));
        }
        assertEquals(List.of(), problems, "axe-core: WCAG 2.1 A/AA violations");
    }

    @Test
    void aConversationIsPickedAMessageSentAndEditedWithTheKeyboardAlone(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        String carolId = Users.unique("carol");
        SendMessage.accepted(server, aliceId, bobId, "Hi, it's Bob");
        SendMessage.accepted(server, aliceId, carolId, "Hi, it's Carol");
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        alice.awaitConversations(List.of(new ConversationShown(carolId, 1, "Hi, it's Carol"),
                                         new ConversationShown(bobId, 1, "Hi, it's Bob")), DELIVERY);

        // Pick: Tab into the list (Carol, the newest, comes first), Down to Bob, Enter.
        Focused first = tabUntil(alice, false, f -> f.with() != null, "a person in the conversation list");
        assertEquals(carolId, first.with(), "the newest conversation is the first stop in the list");
        press(alice, Keys.ARROW_DOWN);
        assertEquals(bobId, visiblyFocused(alice).with(), "Down moves to the next person");
        press(alice, Keys.ENTER);
        alice.waitUntil(DELIVERY, () -> "Enter should open the conversation with Bob and put the focus in the message"
                                        + " field; focus: " + focused(alice) + ", shows " + alice.visibleTexts(),
                        d -> "text".equals(focused(alice).id()) && List.of("Hi, it's Bob").equals(alice.visibleTexts())
                             ? true : null);
        assertEquals(bobId, alice.element("#to").getDomProperty("value"), "the composer writes to Bob");

        // Send: type and Enter.
        press(alice, "typed, not clicked", Keys.ENTER);
        String id = bob.awaitIncoming("typed, not clicked", DELIVERY).getDomAttribute("data-id");
        alice.awaitTick("typed, not clicked", DELIVERY, "sent", "delivered", "read");
        assertEquals("text", focused(alice).id(), "the message field keeps the focus");

        // Edit: Shift+Tab back to the message's Edit button (every stop on the way shows where the focus is), Enter,
        // replace the text, Enter.
        Focused edit = tabUntil(alice, true, f -> "edit".equals(f.className()) && "typed, not clicked".equals(f.message()),
                                "the Edit button of the message just sent");
        assertEquals("Edit", edit.text());
        press(alice, Keys.ENTER);
        Focused field = visiblyFocused(alice);
        assertEquals("edit-text", field.className(), "Enter on Edit puts the focus in the edit field: " + field);
        Screens.DESKTOP.apply(alice);
        Screens.DESKTOP.screenshot(alice, "chat-keyboard-edit");
        new Actions(alice.focus()).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL)
                .sendKeys("typed, then edited").sendKeys(Keys.ENTER).perform();
        alice.awaitShownAs(id, "typed, then edited", true, DELIVERY);
        bob.awaitShownAs(id, "typed, then edited", true, DELIVERY);
        assertEquals("edit", visiblyFocused(alice).className(), "the focus goes back to the Edit button");

        // Up in the empty message field opens the editor on the last message too; Escape leaves it unchanged.
        tabUntil(alice, false, f -> "text".equals(f.id()), "the message field");
        press(alice, Keys.ARROW_UP);
        Focused up = visiblyFocused(alice);
        assertEquals("edit-text", up.className(), "Up in the empty field edits my last message: " + up);
        assertEquals("typed, then edited", alice.script("return document.activeElement.value;"));
        press(alice, Keys.ESCAPE);
        assertEquals("edit", visiblyFocused(alice).className(), "Escape closes the editor");
        alice.awaitShownAs(id, "typed, then edited", true, DELIVERY);
        assertEquals(0, alice.count("#messages .edit-form"), "no editor left open");
    }

    /** Where the keyboard focus is, as the user sees it. */
    private record Focused(String id, String className, String with, String message, String text, boolean shown) {
    }

    /**
     * The focused element: its id and class, the person of a conversation button, the text of the message it sits in,
     * its own words, and whether a focus ring shows (its outline, or for the visually hidden file input the outline of
     * the label drawn in its place).
     */
    private static Focused focused(Page page) {
        List<?> row = (List<?>) page.script("""
                const el = document.activeElement;
                const ring = (e) => { const s = getComputedStyle(e);
                                      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; };
                const shown = el.id === 'file' ? ring(document.getElementById('file-label')) : ring(el);
                const body = el.closest('.message')?.querySelector('.body');
                return [el.id, el.className, el.dataset.with ?? null, body ? body.textContent : null,
                        (el.textContent ?? '').trim(), shown];
                """);
        return new Focused(String.valueOf(row.get(0)), String.valueOf(row.get(1)), (String) row.get(2),
                           (String) row.get(3), String.valueOf(row.get(4)), Boolean.TRUE.equals(row.get(5)));
    }

    /** The focused element, after checking that the user can see where the focus is. */
    private static Focused visiblyFocused(Page page) {
        Focused now = focused(page);
        assertTrue(now.shown(), "the focus is visible: " + now);
        return now;
    }

    private static void press(Page page, CharSequence... keys) {
        new Actions(page.focus()).sendKeys(keys).perform();
    }

    /** Presses Tab (Shift+Tab when {@code back}) at most 20 times until {@code wanted} has the focus, every stop visible. */
    private static Focused tabUntil(Page page, boolean back, Predicate<Focused> wanted, String what) {
        List<Focused> stops = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (back) {
                new Actions(page.focus()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            } else {
                press(page, Keys.TAB);
            }
            Focused now = visiblyFocused(page);
            stops.add(now);
            if (wanted.test(now)) {
                return now;
            }
        }
        throw new AssertionError(what + " cannot be reached with " + (back ? "Shift+Tab" : "Tab") + "; stops: " + stops);
    }

    private static List<String> check(Page page, String name, Screens screen) {
        page.script("window.scrollTo(0, 0);");
        screen.screenshot(page, name);
        return Axe.check(page).stream().map(v -> name + " at " + screen.label() + ": " + v).toList();
    }

    /** A small PNG, so the chat shows an image preview. */
    private static Path picture() throws IOException {
        BufferedImage image = new BufferedImage(160, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xdd, 0xf4, 0xff));
        g.fillRect(0, 0, 160, 100);
        g.setColor(new Color(0xd9, 0x48, 0x0f));
        g.fillOval(55, 25, 50, 50);
        g.dispose();
        Path file = E2eConfig.workDir().resolve("sunset.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
