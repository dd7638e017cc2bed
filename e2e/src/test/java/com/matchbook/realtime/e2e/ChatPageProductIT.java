package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.DevTokens;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user meets beyond the happy path: a message too big to send, an outage, and what the page says meanwhile. */
@ExtendWith(E2eExtension.class)
class ChatPageProductIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);
    private static final Pattern PILL_SECONDS = Pattern.compile("^Reconnecting in (\\d+) s$");
    private static final Pattern TOOLTIP_SECONDS = Pattern.compile("next attempt in (\\d+) s");

    @Test
    void aMessageOverTheServersLimitIsRefusedInThePageAndTheSocketStaysOpen(
            @OwnServer("matchbook.max-text-bytes=2000") ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        alice.recordStatus();

        // 2,100 characters, all but 50 of them two bytes in UTF-8: 4 KB, twice the limit this server announces.
        String tooBig = "é".repeat(2_050) + "x".repeat(50);
        alice.pasteAndSend(bobId, tooBig);

        String problem = alice.waitUntil(DELIVERY, "#composer-error should say the message is too big", d -> {
            String shown = alice.composerProblem();
            return shown.isEmpty() ? null : shown;
        });
        assertTrue(problem.contains("over the limit of 2.0 KB") && problem.contains("Nothing was sent"),
                   "says why and that nothing went: " + problem);
        assertEquals(0, alice.count("#messages .message.mine"), "no bubble for a message that was not sent");
        assertEquals(tooBig, alice.element("#text").getDomProperty("value"), "the text stays, to be shortened");
        assertEquals("true", alice.element("#text").getDomAttribute("aria-invalid"));
        alice.assertHolds(Duration.ofSeconds(2), "the socket stays open", d -> "open".equals(alice.state()));
        assertTrue(alice.statusHistory().stream().allMatch(s -> s.state().equals("open")),
                   "#status never left open: " + alice.statusHistory());

        // Typing clears the message; a message within the limit goes out on the same connection.
        alice.script("document.getElementById('text').value = '';");
        alice.type(bobId, "short enough");
        assertEquals("", alice.composerProblem(), "the message goes away once the user edits");
        alice.element("#send").click();
        bob.awaitIncoming("short enough", DELIVERY);
        assertEquals("1", DevTokens.json(DevTokens.get(server, "/api/users/" + aliceId + "/presence", null))
                .get("connections").toString(), "still Alice's one connection");
    }

    @Test
    void duringAnOutageTheBannerCountsDownTheStatusStaysTrueAndRetryNowReconnectsAtOnce(@OwnServer ServerProcess server,
                                                                                        Browsers browsers) {
        browsers.expectNetworkErrors(); // the server goes down on purpose
        String aliceId = Users.unique("alice");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        String connected = alice.awaitState("open", CONNECT);
        assertEquals("Connected", connected);
        assertEquals("Connected", alice.element("#status").getAccessibleName(), "the pill's name is the state in words");
        assertEquals("", alice.offlineShown(), "no banner while connected");

        // The restart itself takes seconds: if the page's own retry comes first, the button proved nothing; go again.
        for (int round = 1; ; round++) {
            server.kill();
            alice.awaitState("reconnecting", Duration.ofSeconds(10));
            // Backoff grows while the server stays down: wait for a retry far enough off to beat it by hand.
            int first = alice.waitUntil(Duration.ofSeconds(60), "the banner should count down to a retry 6 s or more off",
                                        d -> {
                                            int shown = alice.offlineCountdownSeconds();
                                            return shown >= 6 ? shown : null;
                                        });
            assertTrue(alice.offlineShown().contains("You are offline"), "the banner says so: " + alice.offlineShown());
            assertPillMatchesBanner(alice);
            int later = alice.waitUntil(Duration.ofSeconds(3), "the countdown should tick", d -> {
                int shown = alice.offlineCountdownSeconds();
                return shown >= 0 && shown < first ? shown : null;
            });
            assertTrue(later < first, "counts down: " + first + " then " + later);
            assertPillMatchesBanner(alice);

            server.start();
            int left = alice.offlineCountdownSeconds();
            // The countdown rounds up, so "N s" may mean N - 1 s and a little: the click, the handshake with a node
            // that has just started and this test's polling must fit in left - 1 s. Under 3 s is too close to tell
            // the button from the page's own retry; the next round's backoff is longer.
            if (left < 4) {
                assertTrue(round < 3, "the page's own retry came too soon three times; cannot show Retry now");
                alice.awaitState("open", Duration.ofSeconds(40));
                continue;
            }
            Instant pressed = Instant.now();
            alice.element("#retry-now").click();
            alice.awaitState("open", Duration.ofSeconds(left - 1));
            Duration took = Duration.between(pressed, Instant.now());
            assertTrue(took.toMillis() < (left - 1) * 1000L, "connected " + took.toMillis() + " ms after Retry now, "
                                                               + "before the " + left + " s the countdown still showed");
            break;
        }
        alice.waitUntil(DELIVERY, "the banner goes away", d -> alice.offlineShown().isEmpty());
        assertEquals("Connected", alice.element("#status").getAccessibleName());
    }

    /**
     * The pill's words, accessible name and tooltip agree with the banner's countdown (to the second they tick on).
     * The four are read one WebDriver call at a time, so the countdown can tick between two reads; a snapshot counts
     * only when the words read before and after it are the same (the countdown only goes down, so nothing ticked).
     */
    private static void assertPillMatchesBanner(ChatPage page) {
        WebElement status = page.element("#status");
        String[] snapshot = page.waitUntil(Duration.ofSeconds(3), "a read of #status between two ticks", d -> {
            String before = status.getText();
            String name = status.getAccessibleName();
            String tooltip = status.getDomAttribute("title");
            String banner = Integer.toString(page.offlineCountdownSeconds());
            return before.equals(status.getText()) ? new String[] {before, name, tooltip, banner} : null;
        });
        String words = snapshot[0];
        String name = snapshot[1];
        String tooltip = snapshot[2];
        int banner = Integer.parseInt(snapshot[3]);
        Matcher pill = PILL_SECONDS.matcher(words);
        assertTrue(pill.find(), "#status says when: \"" + words + "\"");
        assertEquals(words, name, "the accessible name is the words shown");
        assertFalse(name.toLowerCase().contains("welcome"), name);
        Matcher tip = TOOLTIP_SECONDS.matcher(tooltip == null ? "" : tooltip);
        assertTrue(tip.find(), "the tooltip says when too: \"" + tooltip + "\"");
        for (int seconds : List.of(Integer.parseInt(pill.group(1)), Integer.parseInt(tip.group(1)))) {
            assertTrue(Math.abs(seconds - banner) <= 1, "pill/tooltip " + seconds + " s vs banner " + banner + " s");
        }
        assertTrue(Page.saysReconnecting(words));
    }
}
