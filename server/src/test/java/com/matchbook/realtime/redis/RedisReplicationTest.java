package com.matchbook.realtime.redis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionException;

import com.matchbook.realtime.message.Draft;
import com.matchbook.realtime.message.Message;
import com.matchbook.realtime.store.MessageStore;
import com.matchbook.realtime.store.StoreUnavailableException;
import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.RedisServer;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledged means replicated ({@code matchbook.redis.replicas-to-ack}): a primary with one real replica; an append
 * is acknowledged only once the replica holds it; a replica that stops answering makes the append fail as
 * unavailable (503), and the retry with the same idempotency key stores nothing twice once the replica is back.
 */
class RedisReplicationTest {
    /**
     * How long a write waits for its replica where the test expects it refused: each refusal costs this much.
     * Where a confirmation is expected the wait is {@link #CONFIRM_WAIT}: a replica answers WAIT's GETACK within
     * milliseconds on an idle machine, but a loaded one (CI next to other builds) has taken over 300 ms.
     */
    private static final Duration WAIT = Duration.ofMillis(300);
    private static final Duration CONFIRM_WAIT = Duration.ofSeconds(10);
    /** Confirmed once and refused twice in one test: long enough for a loaded machine, short enough to wait twice. */
    private static final Duration MIXED_WAIT = Duration.ofSeconds(2);

    @Test
    void anAppendIsAcknowledgedOnlyOnceTheReplicaHasItAndARetryAfterATimeoutStoresItOnce() throws Exception {
        try (RedisServer primary = new RedisServer().start();
             RedisServer replica = new RedisServer().replicaOf(primary).start();
             RedisClient client = RedisClients.create(URI.create(primary.uri()));
             RedisClient onReplica = RedisClients.create(URI.create(replica.uri()))) {
            Eventually.holds("the replica is in sync",
                             () -> RedisReplication.onlineReplicas(primary.replicationInfo()) == 1);
            RedisReplication replication = new RedisReplication(client, OptionalInt.of(1), MIXED_WAIT);
            RedisStore store = new RedisStore(client, replication, 100, Duration.ofDays(1), Duration.ofHours(1),
                                              entry -> { });

            MessageStore.Accepted first = append(store, "k1", "one", "id-1");
            assertEquals(1, first.seq());
            assertEquals(List.of("id-1"), ids(onReplica, "bob"), "acknowledged: the replica has it already");

            replica.pause();
            CompletionException refused = assertThrows(CompletionException.class,
                                                       () -> append(store, "k2", "two", "id-2"));
            assertInstanceOf(StoreUnavailableException.class, refused.getCause(), "503 unavailable to the sender");
            try (RedisClient otherNode = RedisClients.create(URI.create(primary.uri()))) {
                // Another node's connection has written nothing: a WAIT alone on it is satisfied at once. The repeat
                // rewrites the record, so its WAIT covers the first attempt as well, and is refused while that is not
                // on the replica.
                RedisStore other = new RedisStore(otherNode, new RedisReplication(otherNode, OptionalInt.of(1),
                                                                                  MIXED_WAIT),
                                                  100, Duration.ofDays(1), Duration.ofHours(1), entry -> { });
                CompletionException again = assertThrows(CompletionException.class,
                                                         () -> append(other, "k2", "two", "id-2-other"));
                assertInstanceOf(StoreUnavailableException.class, again.getCause(),
                                 "a retry through another node is not acknowledged either while the replica lacks it");
            }
            replica.resume();

            MessageStore.Accepted retry = append(store, "k2", "two", "id-2-retry");
            assertTrue(retry.repeat(), "the retry finds the first attempt's idempotency record");
            assertEquals("id-2", retry.id());
            assertEquals(2, retry.seq());
            assertEquals(List.of("id-1", "id-2"), ids(store.since("bob", 0, 10).messages()), "stored once");
            assertEquals(List.of("id-1", "id-2"), ids(onReplica, "bob"), "and acknowledged once the replica has it");
        }
    }

    @Test
    void byDefaultAWriteWaitsForOneReplicaWhileThePrimaryHasOneAndForNoneOtherwise() throws Exception {
        try (RedisServer primary = new RedisServer().start();
             RedisClient client = RedisClients.create(URI.create(primary.uri()))) {
            RedisReplication replication = new RedisReplication(client, OptionalInt.empty(), CONFIRM_WAIT);
            replication.refresh();
            assertEquals(0, replication.required(), "a primary alone: nothing to wait for");
            try (RedisServer replica = new RedisServer().replicaOf(primary).start()) {
                Eventually.holds("a replica online counts", () -> {
                    replication.refresh();
                    return replication.required() == 1;
                });
                RedisStore store = new RedisStore(client, replication, 100, Duration.ofDays(1), Duration.ofHours(1),
                                                  entry -> { });
                assertEquals(1, append(store, "k1", "one", "id-1").seq());
                replica.kill();
                Eventually.holds("the replica gone, writes stop waiting for it", () -> {
                    replication.refresh();
                    return replication.required() == 0;
                });
                assertEquals(2, append(store, "k2", "two", "id-2").seq(), "writes go on without a replica");
            }
        }
    }

    @Test
    void aFixedNumberIsKeptWhateverThePrimaryReports() throws Exception {
        try (RedisServer primary = new RedisServer().start();
             RedisClient client = RedisClients.create(URI.create(primary.uri()))) {
            RedisReplication replication = new RedisReplication(client, OptionalInt.of(1), WAIT);
            replication.refresh();
            assertEquals(1, replication.required());
            RedisStore store = new RedisStore(client, replication, 100, Duration.ofDays(1), Duration.ofHours(1),
                                              entry -> { });
            CompletionException refused = assertThrows(CompletionException.class,
                                                       () -> append(store, "k1", "one", "id-1"));
            assertInstanceOf(StoreUnavailableException.class, refused.getCause(),
                             "no replica to confirm it: refused, not acknowledged");
        }
    }

    private static MessageStore.Accepted append(RedisStore store, String key, String text, String id) {
        Draft draft = new Draft("ann", "bob", "chat", text, null, null);
        return store.append(draft, id, Instant.now(), 0,
                            Optional.of(new MessageStore.SendKey(key, draft.fingerprint()))).join();
    }

    /** Bob's stream as the replica holds it: what a failover to it would keep. */
    private static List<String> ids(RedisClient replica, String user) {
        return replica.zrange(RedisKeys.messages(user), 0, -1).stream()
                .map(member -> RedisCodec.decode(user, member).id())
                .toList();
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::id).toList();
    }
}
