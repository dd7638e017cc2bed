package com.matchbook.realtime.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Axe;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eConfig;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.Screens;
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
    void aMessageCanBeSentWithTheKeyboardAlone(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);

        tabTo(alice, "to");
        new Actions(alice.focus()).sendKeys(bobId).perform();
        tabTo(alice, "text");
        new Actions(alice.focus()).sendKeys("sent with the keyboard").sendKeys(Keys.ENTER).perform();

        bob.awaitIncoming("sent with the keyboard", DELIVERY);
        alice.awaitTick("sent with the keyboard", DELIVERY, "sent", "delivered", "read");
        assertEquals("", alice.element("#text").getDomProperty("value"), "the field is cleared for the next message");
        assertEquals("text", alice.script("return document.activeElement.id;"), "and keeps the focus");
    }

    /** Presses Tab (at most 20 times) until the element with this id has the focus. */
    private static void tabTo(Page page, String id) {
        for (int i = 0; i < 20; i++) {
            if (id.equals(page.script("return document.activeElement && document.activeElement.id;"))) {
                return;
            }
            new Actions(page.focus()).sendKeys(Keys.TAB).perform();
        }
        throw new AssertionError("#" + id + " cannot be reached with Tab; focus is on "
                                 + page.script("return document.activeElement && document.activeElement.outerHTML;"));
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
