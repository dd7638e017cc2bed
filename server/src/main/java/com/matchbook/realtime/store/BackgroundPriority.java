package com.matchbook.realtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lowers the calling platform thread's CPU priority (its Linux nice value), for background store work that shares
 * cores with the message path: the tiered store's archive writer ({@link TieredStore}) and the journal's snapshot
 * ({@link JournalStore#SNAPSHOT_NICE}).
 *
 * <p>Why: on Linux every runnable thread gets an equal share of a busy core (CFS), so a background thread doing
 * 25 ms of SQLite work in one transaction takes half of the core from the virtual threads' carrier for those 25 ms,
 * and live messages queue behind it. At nice 19 the kernel gives it about 1.5% of a contended core (weight 15 against
 * 1,024 in the CFS weight table) and all of an idle one. {@link Thread#setPriority} cannot do this: HotSpot ignores
 * Java priorities on Linux unless started with {@code -XX:ThreadPriorityPolicy=1}, and even then maps the lowest to
 * nice 4. The JDK's foreign function API could call {@code setpriority(2)}, but it is final only from Java 22 and the
 * server is built for 21; so the thread finds its own id in {@code /proc/thread-self} and has util-linux's (or
 * busybox's) {@code renice} set it, once, at the thread's start (on Linux a nice value belongs to one thread:
 * getpriority(2), "BUGS"). The value is given without {@code -n}, which is absolute in both (with {@code -n} and
 * {@code POSIXLY_CORRECT} set, util-linux 2.39+ takes it as an increment), and the result is read back from
 * {@code /proc/thread-self/stat} rather than trusted from the exit status. Any process may raise its own threads'
 * nice value; lowering it back needs {@code CAP_SYS_NICE} or a high enough {@code RLIMIT_NICE}. Threads the lowered
 * thread starts inherit its value.
 *
 * <p>Elsewhere (macOS, Windows, no {@code renice}) this does nothing and says so.
 */
final class BackgroundPriority {
    /** The nice value of background store threads: the lowest priority a thread can have. */
    static final int NICE = 19;

    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    /** Where distributions put {@code renice}; not looked up through the PATH. */
    private static final List<Path> RENICE = List.of(Path.of("/usr/bin/renice"), Path.of("/bin/renice"));

    private BackgroundPriority() {
    }

    /**
     * A single-thread executor whose one platform daemon thread, named {@code name}, lowers itself to {@code nice} once
     * when it is made (a renice is a process of its own, so not per task), hands {@code lowered} whether that worked,
     * and then runs its tasks whatever happened: work queued behind it (a mover, a snapshot) waits for it to run.
     *
     * @param nice    -20 (highest) to 19 (lowest)
     * @param lowered told on the thread itself, before its first task; false when {@link #set} failed or threw
     */
    static ExecutorService lowered(String name, int nice, Consumer<Boolean> lowered) {
        ThreadFactory named = Thread.ofPlatform().name(name).daemon(true).factory();
        return Executors.newSingleThreadExecutor(task -> named.newThread(() -> {
            boolean ok = false;
            try {
                ok = set(nice);
            } catch (Throwable e) {
                // best effort: the thread still runs its tasks, at the default priority
            } finally {
                try {
                    lowered.accept(ok);
                } finally {
                    task.run();
                }
            }
        }));
    }

    /**
     * Sets the calling platform thread's nice value.
     *
     * @param nice -20 (highest) to 19 (lowest)
     * @return whether the thread now runs at {@code nice} (false off Linux, without {@code renice}, on a virtual
     *         thread, or when refused)
     */
    static boolean set(int nice) {
        if (Thread.currentThread().isVirtual() || !Files.isSymbolicLink(THREAD_SELF)) {
            return false;
        }
        Path renice = RENICE.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (renice == null) {
            return false;
        }
        try {
            // "<pid>/task/<tid>"
            String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            ProcessBuilder command = new ProcessBuilder(renice.toString(), Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            command.environment().clear();
            Process p = command.start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return current() == nice;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The calling thread's nice value: field 19 of proc(5)'s {@code /proc/thread-self/stat}.
     *
     * @throws IOException when the file cannot be read (not Linux 3.17+)
     */
    static int current() throws IOException {
        String stat = Files.readString(THREAD_SELF.resolve("stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: the first is field 3.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[19 - 3]);
    }
}
