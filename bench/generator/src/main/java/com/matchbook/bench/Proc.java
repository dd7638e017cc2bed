package com.matchbook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What Linux tells about a process: resident memory and CPU time. */
final class Proc {
    /** Clock ticks per second of /proc/PID/stat times: 100 on every Linux this runs on (USER_HZ). */
    static final double TICKS_PER_SECOND = 100;
    static final long SELF = ProcessHandle.current().pid();

    private Proc() {
    }

    /** VmRSS in bytes, or -1 when the process is gone. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU time in ticks, all threads, or -1 when the process is gone. */
    static long cpuTicks(long pid) {
        return cpuTicks(pid, false);
    }

    /**
     * @param children also the time of its children that it has reaped: a server's forks (Redis's AOF rewrite
     *                 runs in a child, on the same core) are part of the server. Not for the generator, whose
     *                 children are the servers.
     */
    static long cpuTicks(long pid, boolean children) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name may hold spaces: count fields after its closing parenthesis (field 3 on).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return children ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Ticks that processes used on cpu0 and cpu1 (user, nice, system, and steal by the hypervisor) from /proc/stat.
     * Interrupt and softirq time is left out: loopback traffic's own softirq work lands there.
     */
    static long[] coreBusyTicks() {
        long[] busy = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                int core = line.startsWith("cpu0 ") ? 0 : line.startsWith("cpu1 ") ? 1 : -1;
                if (core >= 0) {
                    String[] f = line.trim().split("\\s+");
                    for (int i = 1; i < f.length && i <= 8; i++) {
                        if (i <= 3 || i == 8) {
                            busy[core] += Long.parseLong(f[i]);
                        }
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return busy;
        }
        return busy;
    }

    /**
     * On a shared machine, waits (up to {@code maxWait}) until the two cores are mostly idle before a scenario, so
     * that someone else's build does not become part of the figures. @return the busy % of the last sample
     */
    static double awaitQuiet(double maxBusyPct, java.time.Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long[] a = coreBusyTicks();
            Thread.sleep(300);
            long[] b = coreBusyTicks();
            double busy = Math.round((b[0] - a[0] + b[1] - a[1]) / TICKS_PER_SECOND / 0.3 / 2 * 1000) / 10.0;
            if (busy <= maxBusyPct || System.nanoTime() > deadline) {
                return busy;
            }
            System.out.println("   waiting for a quiet machine: cores 0-1 " + busy + "% busy");
        }
    }

    /**
     * CPU use of the generator and of the server over one phase, in percent of one core. For a server of several
     * processes (Redis and two nodes, all on core 0) {@code server_cpu_pct} is their sum, and each one's share is
     * listed too.
     */
    static final class Meter {
        private final long[] serverPids;
        private final List<String> names;
        private final long start = System.nanoTime();
        private final long selfStart = cpuTicks(SELF);
        private final long[] serverStart;
        private final long[] coresStart = coreBusyTicks();
        double generatorPct;
        double serverPct;
        /** Each server process's share, by name, when there are several. */
        final Map<String, Double> serverPctByProcess = new LinkedHashMap<>();
        /**
         * Process time on cores 0 and 1 NOT accounted to the server or the generator: other processes on a shared
         * machine. High values mean the figures of this phase are noisy.
         */
        double otherCore0Pct;
        double otherCore1Pct;

        Meter(ServerProcess server) {
            this.serverPids = server.pids();
            this.names = server.names();
            this.serverStart = new long[serverPids.length];
            for (int i = 0; i < serverPids.length; i++) {
                serverStart[i] = cpuTicks(serverPids[i], true);
            }
        }

        Meter stop() {
            double seconds = (System.nanoTime() - start) / 1e9;
            generatorPct = pct(cpuTicks(SELF) - selfStart, seconds);
            long ticks = 0;
            boolean gone = false;
            for (int i = 0; i < serverPids.length; i++) {
                long now = cpuTicks(serverPids[i], true);
                if (now < 0 || serverStart[i] < 0) {
                    gone = true;
                    continue;
                }
                ticks += now - serverStart[i];
                if (serverPids.length > 1) {
                    serverPctByProcess.put(names.get(i), pct(now - serverStart[i], seconds));
                }
            }
            serverPct = gone ? -1 : pct(ticks, seconds);
            long[] cores = coreBusyTicks();
            otherCore0Pct = Math.max(0, Math.round((pct(cores[0] - coresStart[0], seconds) - serverPct) * 10) / 10.0);
            otherCore1Pct = Math.max(0, Math.round((pct(cores[1] - coresStart[1], seconds) - generatorPct) * 10) / 10.0);
            return this;
        }

        /** Puts this phase's CPU figures into a result. */
        void putInto(Map<String, Object> m) {
            m.put("generator_cpu_pct", generatorPct);
            m.put("server_cpu_pct", serverPct);
            if (!serverPctByProcess.isEmpty()) {
                m.put("server_cpu_pct_by_process", new LinkedHashMap<>(serverPctByProcess));
            }
            m.put("other_cpu_core0_pct", otherCore0Pct);
            m.put("other_cpu_core1_pct", otherCore1Pct);
        }

        private static double pct(long ticks, double seconds) {
            return Math.round(ticks / TICKS_PER_SECOND / seconds * 1000) / 10.0;
        }
    }
}
