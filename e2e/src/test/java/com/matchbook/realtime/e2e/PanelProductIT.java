package com.matchbook.realtime.e2e;

import java.time.Duration;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diagnostics panel as an operator reads it, and its promise to only watch. */
@ExtendWith(E2eExtension.class)
class PanelProductIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration SHORT = Duration.ofSeconds(5);

    @Test
    void duringAnOutageThePanelCountsDownShowsTheServersHintAndMarksItsStatsStale(@OwnServer ServerProcess server,
                                                                                 Browsers browsers) {
        browsers.expectNetworkErrors(); // the server goes down on purpose
        String userId = Users.unique("olga");
        AdminPage admin = AdminPage.open(browsers.open(), server, userId);
        admin.awaitState("open", CONNECT);
        assertEquals("none: connected", admin.element("#next-attempt").getText());
        assertEquals("none", admin.element("#retry-hint").getText(), "no close yet, no hint");
        admin.waitUntil(SHORT, () -> "#stats-age should say the stats are fresh (3 s old at most): \""
                                     + admin.textOf("#stats-age") + "\"",
                        d -> admin.element("#stats-age").getText().matches("updated [0-3] s ago"));
        String uptime = admin.textOf("#stats dd[data-field=uptimeMs]");
        assertTrue(uptime.matches("[\\d.]+ s|\\d+ min \\d+ s"), "uptime in people's units, not raw ms: " + uptime);

        server.stop(); // SIGTERM: the drain's 1001 carries retry-after-ms

        String hint = admin.waitUntil(SHORT, "#retry-hint should show the server's hint", d -> {
            String shown = admin.element("#retry-hint").getText();
            return shown.startsWith("wait at least") ? shown : null;
        });
        assertTrue(hint.contains("from close 1001"), "names the close it came with: " + hint);
        // Failed attempts follow while the server is down; whenever one waits, the panel counts it down.
        String first = admin.waitUntil(Duration.ofSeconds(30), "#next-attempt should count down to a retry 3 s or more off",
                                       d -> {
                                           String shown = admin.element("#next-attempt").getText();
                                           return shown.matches("in ([3-9]|\\d\\d+) s") ? shown : null;
                                       });
        int from = Integer.parseInt(first.replaceAll("\\D", ""));
        admin.waitUntil(Duration.ofSeconds(3), "#next-attempt should tick down from " + first, d -> {
            String shown = admin.element("#next-attempt").getText();
            return shown.matches("in \\d+ s") && Integer.parseInt(shown.replaceAll("\\D", "")) < from ? shown : null;
        });
        String stale = admin.waitUntil(Duration.ofSeconds(10), "#stats-age should say the stats are stale", d -> {
            String shown = admin.element("#stats-age").getText();
            return shown.startsWith("stale: updated") ? shown : null;
        });
        assertTrue(stale.contains("server unreachable"), "and why: " + stale);
        assertEquals("true", admin.element("#stats").getDomAttribute("data-stale"));

        server.start();
        admin.awaitState("open", Duration.ofSeconds(45));
        admin.waitUntil(SHORT, "#stats-age should be fresh again",
                        d -> admin.element("#stats-age").getText().matches("updated [0-3] s ago"));
        assertEquals("none: connected", admin.element("#next-attempt").getText());
    }

    @Test
    void theLinksBetweenChatAndPanelKeepWhoIAmAndWhoITalkTo(ServerProcess server, Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage chat = ChatPage.openTalkingTo(browsers.open(), server, aliceId, bobId);
        chat.awaitState("open", CONNECT);

        chat.element("#to-admin").click();
        chat.waitUntil(SHORT, "the panel should open for Alice", d -> d.getCurrentUrl().contains("/admin?"));
        String panelUrl = chat.focus().getCurrentUrl();
        assertTrue(panelUrl.contains("id=" + aliceId) && panelUrl.contains("to=" + bobId), panelUrl);
        chat.awaitState("open", CONNECT);
        assertEquals(aliceId, chat.element("#me").getText(), "the panel is signed in as Alice, not signed out");

        chat.element("#to-chat").click();
        chat.waitUntil(SHORT, "the chat should open again", d -> !d.getCurrentUrl().contains("/admin"));
        chat.awaitState("open", CONNECT);
        assertEquals(aliceId, chat.element("#me").getText());
        assertEquals(bobId, chat.element("#to").getDomProperty("value"), "still talking to Bob");
    }

    @Test
    void thePanelNeverConfirmsSoAFreshDeviceStillGetsTheMessageAndTheSenderSeesNoDelivery(ServerProcess server,
                                                                                          Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        AdminPage panel = AdminPage.open(browsers.open(), server, aliceId);
        panel.awaitState("open", CONNECT);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        bob.awaitState("open", CONNECT);

        bob.send(aliceId, "for Alice's phone");
        panel.awaitLogEntry("message", "for Alice's phone", SHORT);
        assertEquals("sent", bob.awaitTick("for Alice's phone", SHORT, "sent", "delivered", "read"));
        bob.assertHolds(Duration.ofSeconds(2), "Bob's tick stays at sent: the panel saw it but confirmed nothing",
                        d -> "sent".equals(bob.tickOf("for Alice's phone")));

        // Alice's phone: a new browser, no cursor, so the server replays after what she confirmed (nothing).
        ChatPage phone = ChatPage.open(browsers.open(), server, aliceId);
        phone.awaitIncoming("for Alice's phone", SHORT);
        bob.awaitTick("for Alice's phone", SHORT, "delivered", "read");
    }
}
