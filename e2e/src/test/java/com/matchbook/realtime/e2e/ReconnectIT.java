package com.matchbook.realtime.e2e;

import java.time.Duration;
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
}
