package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The collections a JVM server's log records ({@code -Xlog:gc:stdout}, which every JVM server of the benchmark gets:
 * {@link ServerKind}), so that a latency figure can say whether a collection ran inside the window it was taken in.
 * On one core a concurrent cycle shares the core with the server's threads, so a cycle of 0.05-0.4 s inside a
 * four- or six-second phase at 5,000 msg/s is enough to set that phase's p99 (1% of the phase is 40-60 ms of
 * traffic): docs/performance.md, "The slow goal and the collector's cycles".
 */
final class GcLog {
    /**
     * One collection, in seconds of the JVM's uptime (the log's {@code [12.343s]} decoration): it ended at
     * {@code endS} and took {@code durationS} (a pause for Serial and G1, the whole concurrent cycle for ZGC and for
     * G1's concurrent marking, whose own pauses fall inside it).
     */
    record Cycle(double endS, double durationS, String label) {
        double startS() {
            return endS - durationS;
        }
    }

    /**
     * The end line of a collection: uptime, {@code GC(n) <what>}, and its duration with its unit, e.g.
     * {@code [4.679s][info][gc] GC(0) Major Collection (Warmup) 104M(10%)->40M(4%) 0.365s} (ZGC) or
     * {@code [1.2s][info][gc] GC(3) Pause Young (Allocation Failure) 70M->10M(1004M) 5.123ms} (Serial). The JDK pads
     * the level and tags to the widest it has printed so far, so G1's lines read
     * {@code [4.0s][info   ][gc                 ] GC(5) Pause Young (Normal) (G1 Evacuation Pause) 66M->27M 9.2ms}.
     */
    private static final Pattern END = Pattern.compile(
            "^\\[(\\d+\\.\\d+)s]\\[info\\s*]\\[gc\\s*] (GC\\(\\d+\\) .*?) (\\d+\\.\\d+)(ms|s)$");

    private GcLog() {
    }

    /**
     * The collections since the log's last start line ({@code == <command>}, written by {@link ServerProcess} before
     * each start), in the order they ended; empty when the file is missing or holds none.
     */
    static List<Cycle> cycles(Path log) throws IOException {
        List<Cycle> cycles = new ArrayList<>();
        if (!Files.exists(log)) {
            return cycles;
        }
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("== ")) {
                cycles.clear();
                continue;
            }
            Matcher m = END.matcher(line);
            if (m.matches()) {
                double duration = Double.parseDouble(m.group(3)) / (m.group(4).equals("ms") ? 1_000 : 1);
                cycles.add(new Cycle(Double.parseDouble(m.group(1)), duration, m.group(2)));
            }
        }
        return cycles;
    }

    /**
     * Seconds of {@code [fromS, toS]} (uptime seconds) during which a collection ran, rounded to the millisecond: the
     * union of the cycles' spans, so that G1's remark and cleanup pauses, which fall inside its concurrent marking,
     * are not counted twice.
     */
    static double secondsWithin(List<Cycle> cycles, double fromS, double toS) {
        List<Cycle> byStart = new ArrayList<>(cycles);
        byStart.sort(Comparator.comparingDouble(Cycle::startS));
        double total = 0;
        double coveredTo = fromS;
        for (Cycle c : byStart) {
            double start = Math.max(c.startS(), coveredTo);
            double end = Math.min(c.endS(), toS);
            if (end > start) {
                total += end - start;
            }
            coveredTo = Math.max(coveredTo, Math.min(c.endS(), toS));
        }
        return Math.round(total * 1_000) / 1_000.0;
    }

    /**
     * The collector's seconds inside each second of a phase, aligned with its {@code p99_ms_by_second} (second i of
     * the schedule starts i seconds after {@code fromS}, the server's uptime when the phase started).
     */
    static List<Double> bySecond(List<Cycle> cycles, double fromS, Map<String, Object> phase) {
        int seconds = ((List<?>) phase.get("p99_ms_by_second")).size();
        return IntStream.range(0, seconds).mapToObj(i -> secondsWithin(cycles, fromS + i, fromS + i + 1))
                .toList();
    }
}
