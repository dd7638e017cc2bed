package com.matchbook.realtime.e2e;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.matchbook.realtime.e2e.support.Browsers;
import com.matchbook.realtime.e2e.support.ChatPage;
import com.matchbook.realtime.e2e.support.Cluster;
import com.matchbook.realtime.e2e.support.E2eExtension;
import com.matchbook.realtime.e2e.support.Page;
import com.matchbook.realtime.e2e.support.SendMessage;
import com.matchbook.realtime.e2e.support.ServerProcess;
import com.matchbook.realtime.e2e.support.TcpBalancer;
import com.matchbook.realtime.e2e.support.Users;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes sharing a real Redis behind a TCP load balancer, as production runs them; the pages are opened on the
 * balancer and know nothing of the nodes.
 */
@ExtendWith(E2eExtension.class)
class ClusterIT {
    private static final Duration CONNECT = Duration.ofSeconds(15);
    private static final Duration DELIVERY = Duration.ofSeconds(5);
    private static final Duration NOTICE_LOSS = Duration.ofSeconds(10);
    /** Back through the balancer: the attempt the page is already making, or its next retry. */
    private static final Duration FAIL_OVER = Duration.ofSeconds(20);

    @Test
    void whenTheNodeOfAPageIsKilledThePageComesBackThroughTheBalancerAndMissesNothing(Cluster cluster,
                                                                                       Browsers browsers) {
        browsers.expectNetworkErrors(); // the server goes down on purpose
        TcpBalancer balancer = cluster.balancer();
        ServerProcess first = cluster.nodes().get(0);
        String aliceId = Users.unique("alice");
        String bobId = Users.unique("bob");
        // Alice on one node, Bob on the other: the balancer sends new connections to its preferred node while it
        // accepts them.
        balancer.prefer(first);
        ChatPage alice = ChatPage.open(browsers.open(), balancer, aliceId);
        alice.awaitState("open", CONNECT);
        balancer.prefer(cluster.other(first));
        ChatPage bob = ChatPage.open(browsers.open(), balancer, bobId);
        bob.awaitState("open", CONNECT);
        ServerProcess aliceNode = balancer.backendOf("GET /ws?id=" + aliceId);
        ServerProcess bobNode = balancer.backendOf("GET /ws?id=" + bobId);
        assertSame(cluster.other(aliceNode), bobNode, "Alice's and Bob's sockets are on different nodes");
        // The balancer goes on preferring Alice's node: after it dies she is back only because the balancer fails over.
        balancer.prefer(aliceNode);
        String marker = UUID.randomUUID().toString();
        alice.script("window.e2eMarker = arguments[0];", marker);

        alice.send(bobId, "Hi Bob");
        bob.awaitIncoming("Hi Bob", DELIVERY);
        bob.send(aliceId, "Hi Alice, how are you?");
        alice.awaitIncoming("Hi Alice, how are you?", DELIVERY);
        alice.send(bobId, "Fine! Dinner tonight?");
        bob.awaitIncoming("Fine! Dinner tonight?", DELIVERY);
        alice.recordStatus();

        // Like a balancer that has not yet noticed the dead node, new connections wait for a moment: Alice's page is
        // away for certain while the others go on. Bob's page keeps its socket.
        balancer.hold();
        aliceNode.kill();
        alice.awaitState("reconnecting", NOTICE_LOSS);

        // Bob writes through his page (each send waits for the server's ack, so the order is fixed); another service
        // posts straight to the surviving node.
        bob.send(aliceId, "Sure, where?");
        bob.awaitTick("Sure, where?", DELIVERY, "sent");
        SendMessage.accepted(bobNode, aliceId, "matches", "New match nearby");
        bob.send(aliceId, "The usual place?");
        bob.awaitTick("The usual place?", DELIVERY, "sent");
        assertEquals("reconnecting", alice.state(), "Alice's page is still away");
        assertEquals("sent", bob.tickOf("Sure, where?"), "stored, but not delivered while Alice is away");

        balancer.release();
        // And once more through the balancer, racing Alice's page on its way back.
        SendMessage.accepted(balancer, aliceId, "matches", "Bob liked your photo");

        alice.awaitIncoming("Bob liked your photo", FAIL_OVER);
        String back = alice.awaitState("open", FAIL_OVER);
        assertTrue(Page.saysConnected(back), "#status should say connected again, shows \"" + back + "\"");
        assertSame(bobNode, balancer.backendOf("GET /ws?id=" + aliceId), "Alice's page is now on the surviving node");
        assertEquals(marker, alice.script("return window.e2eMarker;"), "came back without a reload");
        List<Page.StatusShown> seen = alice.statusHistory();
        assertTrue(seen.stream().anyMatch(s -> s.state().equals("reconnecting") && Page.saysReconnecting(s.text())),
                   "#status said reconnecting while the node was gone: " + seen);
        assertFalse(seen.stream().anyMatch(s -> s.state().equals("closed")), "never stopped: " + seen);
        bob.awaitTick("Sure, where?", DELIVERY, "delivered", "read");
        bob.awaitTick("The usual place?", DELIVERY, "delivered", "read");

        // The conversation goes on, both ways.
        alice.send(bobId, "Yes, at 8");
        bob.awaitIncoming("Yes, at 8", DELIVERY);
        bob.send(aliceId, "See you there");
        alice.awaitIncoming("See you there", DELIVERY);

        List<String> toAlice = List.of("Hi Alice, how are you?", "Sure, where?", "New match nearby", "The usual place?",
                                       "Bob liked your photo", "See you there");
        List<ChatPage.Incoming> incoming = alice.incoming();
        assertEquals(toAlice, incoming.stream().map(ChatPage.Incoming::text).toList(),
                     "Alice's page shows every message to her exactly once, in the order they were sent");
        // Alice's stream also holds a copy of each message she sent (docs/protocol.md, Conversations), so its seqs
        // number the whole conversation: a message to her has its place in it as its seq.
        List<String> conversation = List.of("Hi Bob", "Hi Alice, how are you?", "Fine! Dinner tonight?",
                                            "Sure, where?", "New match nearby", "The usual place?",
                                            "Bob liked your photo", "Yes, at 8", "See you there");
        assertEquals(toAlice.stream().map(text -> (long) conversation.indexOf(text) + 1).toList(),
                     incoming.stream().map(ChatPage.Incoming::seq).toList(),
                     "in seq order, none missing, none twice, across both nodes");
        assertEquals(List.of("Hi Bob", "Fine! Dinner tonight?", "Yes, at 8"), bob.incomingTexts(),
                     "Bob's page shows what Alice wrote, once each, in order");
        assertEquals(List.of("Hi Bob", "Hi Alice, how are you?", "Fine! Dinner tonight?", "Sure, where?",
                             "New match nearby", "The usual place?", "Bob liked your photo", "Yes, at 8", "See you there"),
                     alice.allTexts(), "Alice's page shows the whole conversation in order");
        assertEquals(marker, alice.script("return window.e2eMarker;"), "still the same page");
    }
}
