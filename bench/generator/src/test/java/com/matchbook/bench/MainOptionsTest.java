package com.matchbook.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: a wrong argument is a clear message, never a silently ignored option. */
class MainOptionsTest {
    @Test
    void defaultsComeFromTheSize() {
        Main.Options quick = Main.Options.parse(new String[] {"quick"});
        assertEquals(List.of("matchbook", "matchbook-tiered", "socketio", "ws", "netty"), quick.servers());
        assertEquals(Scenarios.names(true), quick.scenarios());
        assertEquals(1, quick.repeat());
        assertEquals(List.of("matchbook", "ws"), Main.Options.parse(new String[] {"smoke"}).servers());
    }

    @Test
    void repeatIsAWholeNumberFromOne() {
        assertEquals(3, Main.Options.parse(new String[] {"quick", "--repeat", "3"}).repeat());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"quick", "--repeat", "0"})).getMessage().contains("--repeat"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"quick", "--repeat", "x"})).getMessage().contains("--repeat"));
    }

    @Test
    void optionWithoutValueOrUnknownNameIsRefused() {
        assertEquals("--repeat needs a value", assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"quick", "--repeat"})).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"quick", "--scenarios", "p2p,nope"})).getMessage()
                .startsWith("unknown scenario nope"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Main.Options.parse(new String[] {"medium"})).getMessage().contains("quick, full or smoke"));
    }

    @Test
    void idleStepsStayBelowTheFinalCount() {
        assertEquals(List.of(500, 1_000, 1_500, 2_000), IdleScenario.counts(Sizes.of("quick").idleSteps(), 2_000));
        assertEquals(List.of(300), IdleScenario.counts(new int[] {300, 400}, 300));
    }
}
