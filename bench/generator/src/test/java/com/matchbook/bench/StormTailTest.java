package com.matchbook.bench;

import java.net.ConnectException;
import java.util.Map;

import io.netty.channel.ConnectTimeoutException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StormTailTest {
    @Test
    void theTailIsTheLastHundredthInWelcomeOrder() {
        int[] attempts = new int[300];
        java.util.Arrays.fill(attempts, 1);
        attempts[297] = 2;
        attempts[298] = 5;
        attempts[299] = 7;

        Map<String, Object> tail = StormScenario.tail(attempts, 300);

        assertEquals(1, tail.get("attempts_p50"));
        assertEquals(5, tail.get("last_1pct_attempts_p50"), "the last three clients back: 2, 5, 7");
        assertEquals(7, tail.get("last_1pct_attempts_max"));
    }

    @Test
    void aFewClientsStillGiveATailOfOne() {
        Map<String, Object> tail = StormScenario.tail(new int[] {1, 3, 0, 0}, 2);

        assertEquals(3, tail.get("last_1pct_attempts_max"), "only the first two were welcomed; the last of them");
    }

    @Test
    void aTimedOutConnectIsNotCountedAsRefused() {
        Load.Failures f = new Load.Failures();
        f.connectFailed(new ConnectException("Connection refused"));
        f.connectFailed(new ConnectTimeoutException("connection timed out"));
        f.connectFailed(new IllegalStateException("other"));

        assertEquals(Map.of("refused", 1L, "connect_timeouts", 1L, "other_connect_failures", 1L,
                            "closed_before_welcome", 0L, "handshake_timeouts", 0L), f.asMap());
    }
}
