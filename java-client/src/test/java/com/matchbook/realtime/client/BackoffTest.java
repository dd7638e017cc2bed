package com.matchbook.realtime.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    @Test
    void ceilingDoublesFromHalfASecondUpToThirtySeconds() {
        assertThat(delays(Backoff.DEFAULT, () -> 0.999_999, 9),
                   is(List.of(499L, 999L, 1_999L, 3_999L, 7_999L, 15_999L, 29_999L, 29_999L, 29_999L)));
    }

    @Test
    void fullJitterScalesTheWholeWindow() {
        assertThat(delays(Backoff.DEFAULT, () -> 0.5, 8),
                   is(List.of(250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 15_000L, 15_000L)));
        assertThat(delays(Backoff.DEFAULT, () -> 0.0, 4), is(List.of(0L, 0L, 0L, 0L)));
    }

    @Test
    void sequenceOfRandomsGivesLiteralDelays() {
        double[] randoms = {0.1, 0.9, 0.25, 0.75, 0.5};
        int[] i = {0};
        assertThat(delays(Backoff.DEFAULT, () -> randoms[i[0]++], 5),
                   is(List.of(50L, 900L, 500L, 3_000L, 4_000L)));
    }

    @Test
    void hugeAttemptsStayAtTheCap() {
        assertThat(Backoff.DEFAULT.delayMs(5_000, () -> 0.5), is(15_000L));
        assertThat(Backoff.DEFAULT.delayMs(Integer.MAX_VALUE, () -> 0.5), is(15_000L));
    }

    @Test
    void aCustomBaseDoublesEachAttemptUntilTheCustomCap() {
        Backoff quick = new Backoff(Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(delays(quick, () -> 0.5, 4), is(List.of(50L, 100L, 175L, 175L)));
    }

    @Test
    void aZeroBaseOrACapBelowTheBaseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private static List<Long> delays(Backoff backoff, DoubleSupplier random, int count) {
        List<Long> out = new ArrayList<>();
        for (int attempt = 0; attempt < count; attempt++) {
            out.add(backoff.delayMs(attempt, random));
        }
        return out;
    }
}
