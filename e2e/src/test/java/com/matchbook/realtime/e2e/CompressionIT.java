package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.OwnServer;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate (RFC 7692) with a real browser: Chromium offers it on every socket; with
 * {@code matchbook.compression=true} the server accepts, and people chat over compressed frames both ways.
 */
@ExtendWith(E2eExtension.class)
class CompressionIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void theBrowserNegotiatesPermessageDeflateAndChats(@OwnServer({"matchbook.compression=true"}) ServerProcess server,
                                                      Browsers browsers) {
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        WebDriver aliceBrowser = browsers.open();
        ChatPage alice = ChatPage.open(aliceBrowser, server, aliceId);
        ChatPage bob = ChatPage.open(browsers.open(), server, bobId);
        alice.awaitState("open", CONNECT);
        bob.awaitState("open", CONNECT);

        // What this browser agrees with this server for a socket like the page's own (WebSocket.extensions).
        Object extensions = ((JavascriptExecutor) aliceBrowser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/ws?id=' + arguments[0]);"
                        + "ws.onopen = () => { done(ws.extensions); ws.close(); };"
                        + "ws.onerror = () => done('error');", Users.unique("probe"));
        assertTrue(String.valueOf(extensions).startsWith("permessage-deflate"), "negotiated: " + extensions);

        String long1 = "Hi Bob! A longer message, so that it is worth compressing: " + "la ".repeat(40);
        String long2 = "Hello Alice, compressed both ways and still the same words. " + "ok ".repeat(40);
        alice.send(bobId, long1);
        bob.awaitIncoming(long1, DELIVERY);
        bob.send(aliceId, long2);
        alice.awaitIncoming(long2, DELIVERY);
        bob.send(aliceId, "short");
        alice.awaitIncoming("short", DELIVERY);

        assertEquals(List.of(long2, "short"), alice.incomingTexts(), "what Bob sent, unchanged, in order");
        assertEquals(List.of(long1), bob.incomingTexts(), "what Alice sent, unchanged");
    }
}
