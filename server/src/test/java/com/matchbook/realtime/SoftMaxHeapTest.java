package com.matchbook.realtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import com.sun.management.HotSpotDiagnosticMXBean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ZGC's soft heap maximum following the heap a major cycle leaves (SoftMaxHeap). */
class SoftMaxHeapTest {
    private static final long MIB = 1L << 20;

    @Test
    void theGoalIsTwiceTheLiveHeapInSixteenMibStepsBetweenTheStartValueAndTheMaximum() {
        long floor = 256 * MIB;
        long max = 1024 * MIB;
        assertEquals(floor, SoftMaxHeap.target(0, floor, max));
        assertEquals(floor, SoftMaxHeap.target(100 * MIB, floor, max), "room enough under the start value");
        assertEquals(floor, SoftMaxHeap.target(128 * MIB, floor, max));
        assertEquals(272 * MIB, SoftMaxHeap.target(128 * MIB + 1, floor, max), "rounded up to the next step");
        assertEquals(384 * MIB, SoftMaxHeap.target(192 * MIB, floor, max));
        assertEquals(max, SoftMaxHeap.target(600 * MIB, floor, max), "never past -Xmx");
        assertEquals(max, SoftMaxHeap.target(Long.MAX_VALUE, floor, max));
        assertEquals(floor, SoftMaxHeap.target(-1, floor, max));
    }

    @Test
    void nothingIsFollowedWhenTurnedOffOrOffZgc() {
        assertTrue(SoftMaxHeap.follow(false).isEmpty());
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (!Boolean.parseBoolean(vm.getVMOption("UseZGC").getValue())) {
            assertTrue(SoftMaxHeap.follow(true).isEmpty(), "this JVM does not run ZGC");
        }
    }

    @Test
    void aZgcNodeRaisesItsGoalWhenTheLiveHeapGrowsAndLowersItAgainWhenItShrinks(@TempDir Path dir) throws Exception {
        List<String> lines = runChild(dir, "-Xms64m", "-Xmx512m", "-XX:SoftMaxHeapSize=64m");
        assertEquals(List.of("small " + 64 * MIB, "grown ok", "shrunk " + 64 * MIB), lines);
    }

    @Test
    void aSoftMaximumSetToTheMaximumIsLeftAlone(@TempDir Path dir) throws Exception {
        List<String> lines = runChild(dir, "-Xmx512m", "-XX:SoftMaxHeapSize=512m");
        assertEquals(List.of("not followed"), lines);
    }

    /** Runs {@link Child} in a JVM on generational ZGC with {@code flags}; the lines it printed. */
    private static List<String> runChild(Path dir, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+UseZGC");
        if (Runtime.version().feature() < 23) {
            command.add("-XX:+ZGenerational");   // what ./run.sh starts there; the default from JDK 23 on
        }
        // The JVM's own warnings go to stdout by default, among the lines the tests read.
        command.addAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
            assertEquals(0, p.exitValue(), () -> "the child failed: " + read(err));
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A JVM whose live heap grows past its soft maximum and shrinks back; prints what the flag became each time. */
    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            SoftMaxHeap follower = SoftMaxHeap.follow(true).orElse(null);
            if (follower == null) {
                System.out.println("not followed");
                return;
            }
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            System.gc();   // on ZGC a major cycle
            System.out.println("small " + vm.getVMOption("SoftMaxHeapSize").getValue());

            byte[][] live = new byte[160][];
            for (int i = 0; i < live.length; i++) {
                live[i] = new byte[(int) MIB];
            }
            System.gc();
            // The notifications come on the JDK's own thread, after each cycle (the allocations above may have caused
            // some with smaller figures): wait for the goal this one sets, up to a deadline.
            // 160 MiB live: at least twice that, at most -Xmx.
            long grown = await(vm, soft -> soft >= 320 * MIB && soft <= 512 * MIB);
            System.out.println(grown >= 320 * MIB && grown <= 512 * MIB ? "grown ok" : "grown to " + grown);
            Reference.reachabilityFence(live);

            live = null;
            System.gc();
            System.out.println("shrunk " + await(vm, soft -> soft == 64 * MIB));
            follower.close();
        }

        /** The flag's value once {@code goal} holds for it, or its value at the deadline. */
        private static long await(HotSpotDiagnosticMXBean vm, LongPredicate goal) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long value;
            while (!goal.test(value = Long.parseLong(vm.getVMOption("SoftMaxHeapSize").getValue()))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);   // polling a JVM flag: there is nothing to wait on
            }
            return value;
        }
    }
}
