package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.DevTokens;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with auth on and its DEV-ONLY token endpoint: the chat page, opened without {@code ?token=}, takes a token
 * from {@code /dev/token} and works; a page given a token for someone else is refused with 4003 and stays closed.
 */
@ExtendWith(E2eExtension.class)
class AuthIT {
    private static final String SECRET = "e2e-only-secret-0123456789abcdefghijklmnop";
    private static final String AUTH_ON = "matchbook.auth.secret=" + SECRET;
    private static final String DEV_TOKENS = "matchbook.auth.dev-tokens=true";
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void pagesWithoutATokenTakeADevTokenAndChat(@OwnServer({AUTH_ON, DEV_TOKENS}) ServerProcess server,
                                                Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        assertEquals(401, SendMessage.post(server, aliceId, "mallory", "no token").status(),
                     "auth is on: a POST without a token is refused");

        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        for (ChatPage page : List.of(alice, bob)) {
            String shown = page.awaitState("open", CONNECT);
            assertTrue(Page.saysConnected(shown), "#status should say connected, shows \"" + shown + "\"");
            assertEquals("", page.errorShown(), "no error shown");
        }

        alice.send(bobId, "Hi Bob, signed in with a dev token");
        bob.awaitIncoming("Hi Bob, signed in with a dev token", DELIVERY);
        bob.send(aliceId, "Me too");
        alice.awaitIncoming("Me too", DELIVERY);
        alice.awaitTick("Hi Bob, signed in with a dev token", DELIVERY, "delivered", "read");
        bob.awaitTick("Me too", DELIVERY, "delivered", "read");

        assertEquals(List.of(new ChatPage.Shown(aliceId, "Hi Bob, signed in with a dev token", true),
                             new ChatPage.Shown(bobId, "Me too", false)),
                     alice.messages(), "Alice's page: her message and Bob's, each naming its sender (the token's user)");
        assertEquals(List.of(new ChatPage.Shown(aliceId, "Hi Bob, signed in with a dev token", false),
                             new ChatPage.Shown(bobId, "Me too", true)),
                     bob.messages(), "Bob's page: the same conversation");
    }

    @Test
    void aPageGivenATokenForSomeoneElseSays4003AndStaysClosed(@OwnServer({AUTH_ON, DEV_TOKENS}) ServerProcess server,
                                                              Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobsToken = DevTokens.tokenFor(server, Users.unique("bob"));

        ChatPage alice = ChatPage.openWithToken(browsers.open(), server, aliceId, bobsToken);
        String error = alice.awaitError("4003", CONNECT);
        assertEquals("Stopped: token is for another user (4003)", error, "#error says why the page stopped");
        String status = alice.awaitState("closed", Duration.ofSeconds(2));
        assertEquals("Disconnected", status, "#status says disconnected");
        AdminPage panel = AdminPage.openBeside(alice, server, aliceId, bobsToken);
        panel.awaitError("4003", CONNECT);
        panel.awaitState("closed", Duration.ofSeconds(2));

        // The client's first retry would come within half a second, the next within one: three seconds show that
        // none comes.
        alice.assertHolds(Duration.ofSeconds(3), "the page should stay closed, still saying why",
                          d -> alice.state().equals("closed") && alice.errorShown().equals(error));
        assertEquals(1, panel.attempts(), "the panel made one attempt, no retry after the 4003");
        assertEquals("closed", panel.state(), "the panel stays closed too");
        String aliceToken = DevTokens.tokenFor(server, aliceId);
        JsonObject presence = DevTokens.json(DevTokens.get(server, "/api/users/" + aliceId + "/presence", aliceToken));
        assertEquals(0, presence.getInt("connections"), "the server holds no socket for Alice: " + presence);
    }
}
