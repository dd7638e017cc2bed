package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server crash and restart, as the pages live through it: no reload, no user action. */
@ExtendWith(E2eExtension.class)
class ReconnectIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    /** The client's backoff is full jitter capped at 30 s; a restart after a few seconds of failures needs well under that. */
    private static final Duration RECONNECT = Duration.ofSeconds(45);
    private static final Duration NOTICE_LOSS = Duration.ofSeconds(10);

    @Test
    void pageReconnectsByItselfAfterTheServerIsKilledAndStartedAgain(@OwnServer ServerProcess server, Browsers browsers) {
        String userId = Users.unique("dave");
        ChatPage chat = ChatPage.open(browsers.open(), server, userId);
        chat.awaitState("open", CONNECT);
        AdminPage admin = AdminPage.openBeside(chat, server, userId);
        admin.awaitState("open", CONNECT);
        String marker = UUID.randomUUID().toString();
        chat.script("window.e2eMarker = arguments[0];", marker);
        int attemptsBefore = admin.attempts();

        server.kill();

        String shown = chat.awaitState("reconnecting", NOTICE_LOSS);
        assertTrue(Page.saysReconnecting(shown), "#status should say it is reconnecting, shows \"" + shown + "\"");
        admin.awaitState("reconnecting", NOTICE_LOSS);
        // The first retry after the kill fails too: two more attempts show the panel keeps trying while the server is down.
        admin.awaitAttemptsAtLeast(attemptsBefore + 2, NOTICE_LOSS);
        assertEquals("reconnecting", chat.state(), "still reconnecting while the server is down");

        server.start();

        String back = chat.awaitState("open", RECONNECT);
        assertTrue(Page.saysConnected(back), "#status should say connected again, shows \"" + back + "\"");
        assertEquals(marker, chat.script("return window.e2eMarker;"),
                     "the page reconnected without a reload (the marker set before the kill is still there)");
        admin.awaitState("open", RECONNECT);
        assertTrue(admin.attempts() > attemptsBefore + 2, "the panel counted the attempt that succeeded");

        String text = "after the restart " + marker;
        SendMessage.accepted(server, userId, "server", text);
        chat.awaitIncoming(text, Duration.ofSeconds(5));
        assertEquals(marker, chat.script("return window.e2eMarker;"), "still the same page");
    }

    @Test
    void messagesFromAroundAnOutageAreShownOnceEachInOrderWithoutAReload(@OwnServer ServerProcess server,
                                                                          Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);
        String marker = UUID.randomUUID().toString();
        alice.script("window.e2eMarker = arguments[0];", marker);
        SendMessage.accepted(server, aliceId, "server", "before the crash 1");
        SendMessage.accepted(server, aliceId, "server", "before the crash 2");
        alice.awaitIncoming("before the crash 2", Duration.ofSeconds(5));

        server.kill();
        alice.awaitState("reconnecting", NOTICE_LOSS);
        bob.awaitState("reconnecting", NOTICE_LOSS);
        // The page queues it until the next connection; it gives up on a send after 15 s without an ack
        // (web-client README). Restarted at once, Bob's page is back within 2.5-6 s here.
        bob.send(aliceId, "typed while the server was down");
        assertEquals("sending", bob.tickOf("typed while the server was down"), "waits for the server");

        server.start();
        // Posted at once: Alice's page is most likely still waiting out its backoff, and must catch up by replay.
        SendMessage.accepted(server, aliceId, "server", "after the restart 1");
        SendMessage.accepted(server, aliceId, "server", "after the restart 2");

        alice.awaitIncoming("after the restart 2", RECONNECT);
        alice.awaitIncoming("typed while the server was down", RECONNECT);
        bob.awaitTick("typed while the server was down", Duration.ofSeconds(5), "sent", "delivered", "read");
        List<String> shown = alice.incomingTexts();
        assertEquals(List.of("before the crash 1", "before the crash 2"), shown.subList(0, 2), "older messages first");
        assertEquals(Set.of("after the restart 1", "after the restart 2", "typed while the server was down"),
                     Set.copyOf(shown.subList(2, shown.size())), "the three newer ones");
        assertEquals(5, shown.size(), "every message exactly once: " + shown);
        assertTrue(shown.indexOf("after the restart 1") < shown.indexOf("after the restart 2"), "in the order posted");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), alice.incomingSeqs(),
                     "in seq order, none missing, none twice (the seq survived the crash)");
        assertEquals(marker, alice.script("return window.e2eMarker;"), "caught up without a reload");
    }

    @Test
    void gracefulShutdownSaysGoingAwayAndThePanelReconnectsAfterTheRestart(@OwnServer ServerProcess server,
                                                                            Browsers browsers) {
        String userId = Users.unique("gina");
        AdminPage admin = AdminPage.open(browsers.open(), server, userId);
        admin.awaitState("open", CONNECT);
        assertEquals("none", admin.element("#last-close").getText(), "no close yet");

        server.stop();

        admin.awaitState("reconnecting", NOTICE_LOSS);
        // The drain's close comes first; the failed attempts while the server is down log 1006 after it.
        String goingAway = admin.awaitLogEntry("close", "1001", NOTICE_LOSS);
        assertTrue(goingAway.contains("going away"), "the close says why: \"" + goingAway + "\"");
        assertEquals(goingAway, admin.logEntries("close").getFirst(), "the server's 1001 is the first close");
        assertTrue(admin.element("#last-close").getText().matches("(1001|1006) .+"),
                   "#last-close shows the latest close, with its code");

        server.start();

        admin.awaitState("open", RECONNECT);
        admin.awaitLogCount("open", 2, Duration.ofSeconds(5));
    }
}
