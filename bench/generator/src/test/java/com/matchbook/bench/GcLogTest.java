package com.matchbook.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GcLogTest {
    @Test
    void readsZgcCyclesAndSerialPausesOfTheLastStartOnly(@TempDir Path dir) throws Exception {
        List<GcLog.Cycle> cycles = read(dir,
                "== java -XX:+UseSerialGC -jar old.jar",
                "[1.000s][info][gc] GC(0) Pause Young (Allocation Failure) 70M->10M(1004M) 5.000ms",
                "== java -XX:+UseZGC -jar server.jar",
                "[0.021s][info][gc] Using The Z Garbage Collector",
                "2026-12-01T14:38:22.925Z level=INFO logger=com.matchbook.realtime.Main event=started port=18081",
                "[4.687s][info][gc] GC(0) Major Collection (Warmup)",
                "[5.015s][info][gc] GC(0) Major Collection (Warmup) 104M(10%)->38M(4%) 0.328s",
                "[34.185s][info][gc] GC(3) Minor Collection (Allocation Rate)",
                "[34.234s][info][gc] GC(3) Minor Collection (Allocation Rate) 932M(91%)->64M(6%) 0.049s",
                "[40.000s][info][gc] GC(4) Pause Young (Allocation Failure) 70M->10M(1004M) 12.500ms");

        assertEquals(3, cycles.size(), cycles.toString());
        assertEquals(5.015, cycles.get(0).endS(), 1e-9);
        assertEquals(4.687, cycles.get(0).startS(), 1e-9);
        assertTrue(cycles.get(0).label().startsWith("GC(0) Major Collection (Warmup)"), cycles.get(0).label());
        assertEquals(0.0125, cycles.get(2).durationS(), 1e-9);
    }

    @Test
    void readsG1PausesAndMarkingFromPaddedLines(@TempDir Path dir) throws Exception {
        List<GcLog.Cycle> cycles = read(dir,
                "== java -XX:+UseG1GC -jar server.jar",
                "[0.006s][info][gc] Using G1",
                "[2.156s][info][gc] GC(3) Concurrent Mark Cycle 32.390ms",
                "[4.018s][info   ][gc                 ] GC(5) Pause Young (Normal) (G1 Evacuation Pause) "
                        + "66M->27M(96M) 9.178ms",
                "[13.472s][info   ][gc                 ] GC(23) Concurrent Mark Cycle",
                "[13.844s][info   ][gc                 ] GC(23) Pause Remark 126M->126M(202M) 5.126ms");

        assertEquals(3, cycles.size(), cycles.toString());
        assertEquals(0.03239, cycles.get(0).durationS(), 1e-9);
        assertEquals(4.018, cycles.get(1).endS(), 1e-9);
        assertEquals(0.009178, cycles.get(1).durationS(), 1e-9);
        assertTrue(cycles.get(2).label().startsWith("GC(23) Pause Remark"), cycles.get(2).label());
    }

    @Test
    void countsAPauseInsideAConcurrentCycleOnce() {
        List<GcLog.Cycle> cycles = List.of(new GcLog.Cycle(14.0, 0.5, "marking"), new GcLog.Cycle(13.8, 0.1, "remark"),
                                           new GcLog.Cycle(20.0, 0.2, "young"));

        assertEquals(0.7, GcLog.secondsWithin(cycles, 0.0, 60.0), 1e-9);
        assertEquals(0.4, GcLog.secondsWithin(cycles, 13.7, 19.9), 1e-9);   // 0.3 of marking, 0.1 of the young pause
    }

    @Test
    void countsOnlyTheCollectionTimeInsideTheWindow() {
        List<GcLog.Cycle> cycles = List.of(new GcLog.Cycle(5.0, 0.3, "a"), new GcLog.Cycle(34.2, 0.05, "b"));

        assertEquals(0.3, GcLog.secondsWithin(cycles, 4.0, 10.0), 1e-9);
        assertEquals(0.1, GcLog.secondsWithin(cycles, 4.9, 10.0), 1e-9);   // the cycle's last 0.1 s
        assertEquals(0.35, GcLog.secondsWithin(cycles, 0.0, 60.0), 1e-9);
        assertEquals(0.0, GcLog.secondsWithin(cycles, 10.0, 34.0), 1e-9);
    }

    @Test
    void splitsTheCollectorsTimeByTheSecondsOfAPhase() {
        // A phase that started at 10.25 s of uptime and sent for three seconds and a bit (four per-second figures).
        Map<String, Object> phase = Map.of("p99_ms_by_second", List.of(2.1, 40.0, 2.3, 0.5));
        List<GcLog.Cycle> cycles = List.of(new GcLog.Cycle(9.0, 0.2, "before"), new GcLog.Cycle(11.6, 0.3, "in second 1"),
                                           new GcLog.Cycle(13.35, 0.2, "across seconds 2 and 3"));

        List<Double> seconds = GcLog.bySecond(cycles, 10.25, phase);

        assertEquals(4, seconds.size());
        assertEquals(0.0, seconds.get(0), 1e-9);
        assertEquals(0.3, seconds.get(1), 1e-9);
        assertEquals(0.1, seconds.get(2), 1e-9);
        assertEquals(0.1, seconds.get(3), 1e-9);
    }

    /** The cycles {@link GcLog#cycles} reads from a server log holding {@code lines}. */
    private static List<GcLog.Cycle> read(Path dir, String... lines) throws Exception {
        Path log = dir.resolve("matchbook.log");
        Files.write(log, List.of(lines));
        return GcLog.cycles(log);
    }

    @Test
    void aMissingLogHasNoCycles(@TempDir Path dir) throws Exception {
        assertTrue(GcLog.cycles(dir.resolve("none.log")).isEmpty());
    }
}
