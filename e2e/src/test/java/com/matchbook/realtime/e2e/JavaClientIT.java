package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.client.Ack;
import com.matchbook.realtime.client.ConnectionState;
import com.matchbook.realtime.client.MatchbookClient;
import com.matchbook.realtime.client.Message;
import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebElement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A person in the browser and a program on the Java client talk to each other through the server. */
@ExtendWith(E2eExtension.class)
class JavaClientIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void browserUserAndJavaClientExchangeMessagesBothWays(ServerProcess server, Browsers browsers) throws Exception {
        String erinId = Users.unique("erin");
        String botId = Users.unique("bot");
        ChatPage erin = ChatPage.open(browsers.open(), server, erinId);
        BlockingQueue<Message> botInbox = new LinkedBlockingQueue<>();
        CountDownLatch botOpen = new CountDownLatch(1);
        try (MatchbookClient bot = MatchbookClient.builder()
                .server(server.baseUrl())
                .userId(botId)
                .onMessage(m -> {
                    if (!m.from().equals(botId)) {   // its own copies come back too (docs/protocol.md Conversations)
                        botInbox.add(m);
                    }
                })
                .onState((from, to, cause) -> {
                    if (to == ConnectionState.OPEN) {
                        botOpen.countDown();
                    }
                })
                .build()) {
            bot.connect();
            assertTrue(botOpen.await(CONNECT.toSeconds(), TimeUnit.SECONDS), "the Java client should connect");
            erin.awaitState("open", CONNECT);

            Ack ack = bot.send(erinId, "Hello from Java").get(DELIVERY.toSeconds(), TimeUnit.SECONDS);
            WebElement shown = erin.awaitIncoming("Hello from Java", DELIVERY);
            assertEquals(botId, shown.getDomAttribute("data-from"), "the page names the Java client as sender");
            assertEquals(ack.id(), shown.getDomAttribute("data-id"), "the page shows the message the server acked");

            erin.send(botId, "Hello from the browser");
            Message received = botInbox.poll(DELIVERY.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(received, "the Java client should receive the browser's message within " + DELIVERY);
            assertEquals("Hello from the browser", received.text().orElse(""), "text as typed");
            assertEquals(erinId, received.from(), "sent by the browser user");

            bot.send(erinId, "Got it").get(DELIVERY.toSeconds(), TimeUnit.SECONDS);
            erin.awaitIncoming("Got it", DELIVERY);
            assertEquals(List.of("Hello from Java", "Hello from the browser", "Got it"), erin.allTexts(),
                         "the page shows the conversation in order");
            assertNull(botInbox.poll(), "the Java client got the browser's message once");
        }
    }
}
