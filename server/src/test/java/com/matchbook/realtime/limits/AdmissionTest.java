package com.matchbook.realtime.limits;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a new socket is told while the node drains: come back once the drain window has passed. */
class AdmissionTest {

    @Test
    void whileDrainingEverySocketIsToldToRetryAfterTheDrainWindowInWholeSeconds() {
        Admission admission = new Admission(100, Duration.ofMillis(7_500));
        assertEquals(OptionalLong.empty(), admission.admit(), "admitted before the drain");
        admission.drain();
        assertEquals(OptionalLong.of(8), admission.admit());
        assertEquals(OptionalLong.of(8), admission.admit());
    }

    @Test
    void aZeroDrainWindowStillAsksForAtLeastOneSecond() {
        Admission admission = new Admission(100, Duration.ZERO);
        admission.drain();
        assertEquals(OptionalLong.of(1), admission.admit());
    }
}
