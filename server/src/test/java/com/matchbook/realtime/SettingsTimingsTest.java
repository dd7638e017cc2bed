package com.matchbook.realtime;

import java.time.Duration;
import java.util.Map;

import com.matchbook.realtime.Settings.Timings;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drain window's key, and the timings derived from configured ones (Settings.Timings). */
class SettingsTimingsTest {

    @Test
    void theDrainWindowIsFiveSecondsUnlessConfigured() {
        assertEquals(Duration.ofSeconds(5), Settings.of(Map.of()).drainWindow());
        assertEquals(Duration.ofSeconds(12), Settings.of(Map.of("matchbook.drain-window", "PT12S")).drainWindow());
    }

    @Test
    void aNegativeDrainWindowIsRefusedAtStartWithTheKeyNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                                                  () -> Settings.of(Map.of("matchbook.drain-window", "-PT1S")));
        assertTrue(e.getMessage().contains("matchbook.drain-window"), e.getMessage());
    }

    @Test
    void theKeepaliveSweepsEveryQuarterOfTheShorterHeartbeatPeriodWithinItsBounds() {
        assertEquals(Duration.ofMillis(500), Timings.keepaliveSweep(Duration.ofSeconds(25), Duration.ofSeconds(2)));
        assertEquals(Timings.SWEEP_MAX, Timings.keepaliveSweep(Duration.ofSeconds(25), Duration.ofSeconds(10)));
        assertEquals(Timings.SWEEP_MIN, Timings.keepaliveSweep(Duration.ofMillis(40), Duration.ofSeconds(10)));
    }

    @Test
    void theConnectionDeadlinesAreCheckedEveryTenthOfTheHeaderTimeoutWithinItsBounds() {
        assertEquals(Duration.ofMillis(100), Timings.deadlineSweep(Duration.ofSeconds(1)));
        assertEquals(Timings.DEADLINE_SWEEP_MAX, Timings.deadlineSweep(Duration.ofSeconds(10)));
        assertEquals(Timings.DEADLINE_SWEEP_MIN, Timings.deadlineSweep(Duration.ofMillis(50)));
    }

    @Test
    void relatedTimingsKeepTheirOrder() {
        assertTrue(Timings.CLOSE_GRACE.compareTo(Timings.WRITE_TIMEOUT) < 0, "a close is cut before a blocked write");
        assertTrue(Timings.REDIS_TIMEOUT.compareTo(Timings.REDIS_BEAT) <= 0, "a stuck command fails within a beat");
        assertTrue(Timings.REDIS_ALIVE_FOR.compareTo(Timings.REDIS_BEAT.multipliedBy(2)) > 0,
                   "a node survives a missed beat");
        assertTrue(Timings.CONSOLE_REPLY_KEPT.compareTo(Timings.CONSOLE_REPLY_WAIT) > 0, "replies outlive the wait");
        assertTrue(Timings.DRAIN_WINDOW.plus(Timings.WRITER_STOP_WAIT).plus(Timings.ANNOUNCER_STOP_WAIT)
                           .compareTo(Duration.ofSeconds(30)) < 0, "a stop ends within a supervisor's grace");
    }
}
