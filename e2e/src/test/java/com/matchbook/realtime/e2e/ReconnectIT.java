package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import com.matchbook.realtime.e2e.support.AdminPage;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.Poster;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        browsers.expectNetworkErrors(); // the server goes down on purpose
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
        browsers.expectNetworkErrors(); // the server goes down on purpose
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
        browsers.expectNetworkErrors(); // the server goes down on purpose
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

    @Test
    void messagesPostedUpToASigtermAndAfterTheRestartAreShownOnceEachInSeqOrder(@OwnServer ServerProcess server,
                                                                                Browsers browsers) throws Exception {
        browsers.expectNetworkErrors(); // the server goes down on purpose
        String aliceId = Users.unique("alice");
        ChatPage alice = ChatPage.open(browsers.open(), server, aliceId);
        alice.awaitState("open", CONNECT);
        AdminPage admin = AdminPage.openBeside(alice, server, aliceId);
        admin.awaitState("open", CONNECT);
        String marker = UUID.randomUUID().toString();
        alice.script("window.e2eMarker = arguments[0];", marker);
        alice.recordStatus();
        SendMessage.accepted(server, aliceId, "server", "before the drain");
        alice.awaitIncoming("before the drain", Duration.ofSeconds(5));

        // Messages keep being posted while the signal arrives: some are written to the socket before the drain's
        // close, some are only in history when the page comes back, the last may be cut off without an answer.
        Poster poster = Poster.start(server, aliceId, "around the signal ", 3);
        poster.awaitAccepted(Duration.ofSeconds(10));
        server.stop();
        Poster.Outcome around = poster.outcome(Duration.ofSeconds(15));

        String shown = alice.awaitState("reconnecting", NOTICE_LOSS);
        assertTrue(Page.saysReconnecting(shown), "#status should say it is reconnecting, shows \"" + shown + "\"");

        server.start();
        // At once, while the page most likely still waits out the server's hint or its backoff.
        List<String> after = List.of("after the restart 1", "after the restart 2", "after the restart 3");
        for (String text : after) {
            SendMessage.accepted(server, aliceId, "server", text);
        }

        alice.awaitIncoming("after the restart 3", RECONNECT);
        String back = alice.awaitState("open", RECONNECT);
        assertTrue(Page.saysConnected(back), "#status should say connected again, shows \"" + back + "\"");
        List<ChatPage.Incoming> incoming = alice.incoming();
        List<String> texts = incoming.stream().map(ChatPage.Incoming::text).toList();
        // Every accepted message once, in the order posted; a message whose POST got no answer may show, once.
        List<String> expected = new ArrayList<>();
        expected.add("before the drain");
        for (String text : around.posted()) {
            if (around.accepted().contains(text) || (around.uncertain().contains(text) && texts.contains(text))) {
                expected.add(text);
            }
        }
        expected.addAll(after);
        assertEquals(expected, texts, "every message exactly once, in the order posted (" + around + ")");
        assertEquals(LongStream.rangeClosed(1, expected.size()).boxed().toList(),
                     incoming.stream().map(ChatPage.Incoming::seq).toList(), "in seq order, none missing, none twice");
        assertEquals(marker, alice.script("return window.e2eMarker;"), "caught up without a reload");

        // What #status went through: the server's going away (its 1001 named in the tooltip), then connected again,
        // and never "Disconnected" (1001 means come back later, not stop).
        List<Page.StatusShown> seen = alice.statusHistory();
        int goingAway = indexOf(seen, s -> s.state().equals("reconnecting") && s.title().startsWith("closed 1001"));
        assertTrue(goingAway >= 0, "#status should show reconnecting because of the server's 1001; it showed " + seen);
        assertTrue(Page.saysReconnecting(seen.get(goingAway).text()), "and say so: " + seen.get(goingAway));
        assertTrue(seen.subList(goingAway, seen.size()).stream().anyMatch(s -> s.state().equals("open")),
                   "then connected again: " + seen);
        assertFalse(seen.stream().anyMatch(s -> s.state().equals("closed")), "never stopped: " + seen);

        assertPanelHonouredRetryAfter(admin);
    }

    /**
     * The panel (a page like the chat, connected for the same user, drained with it) logs the server's close with its
     * {@code retry-after-ms} hint, then its retry; its next attempt is not earlier than the hint.
     */
    private static void assertPanelHonouredRetryAfter(AdminPage admin) {
        admin.awaitState("open", RECONNECT);
        List<AdminPage.LogEntry> log = admin.log();
        int close = indexOf(log, e -> e.event().equals("close") && e.detail().startsWith("1001 "));
        assertTrue(close >= 0, "#log should show the server's 1001 close: " + log);
        Matcher hint = Pattern.compile("retry-after-ms=(\\d+)").matcher(log.get(close).detail());
        assertTrue(hint.find(), "the drain's close carries a retry-after-ms hint: " + log.get(close));
        long hintMs = Long.parseLong(hint.group(1));
        int retry = indexOf(log.subList(close, log.size()), e -> e.event().equals("retry")) + close;
        int attempt = indexOf(log.subList(close, log.size()), e -> e.event().equals("connect")) + close;
        assertTrue(retry > close && attempt > retry, "#log should show a retry, then an attempt, after the close: "
                                                     + log.subList(close, log.size()));
        Matcher delay = Pattern.compile("next attempt in (\\d+) ms").matcher(log.get(retry).detail());
        assertTrue(delay.find(), "the retry says when: " + log.get(retry));
        assertTrue(Long.parseLong(delay.group(1)) >= hintMs,
                   "the first retry waits at least the server's hint of " + hintMs + " ms: " + log.get(retry));
        long waitedMs = Duration.between(log.get(close).at(), log.get(attempt).at()).toMillis();
        assertTrue(waitedMs >= hintMs, "the next attempt came " + waitedMs + " ms after the close, before the hint of "
                                       + hintMs + " ms: " + log.subList(close, attempt + 1));
    }

    private static <T> int indexOf(List<T> list, Predicate<T> matching) {
        for (int i = 0; i < list.size(); i++) {
            if (matching.test(list.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
