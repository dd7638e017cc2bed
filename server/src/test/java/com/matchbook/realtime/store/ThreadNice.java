package com.matchbook.realtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a thread's Linux nice value, for tests of {@link BackgroundPriority}. */
final class ThreadNice {
    private static final Path STAT = Path.of("/proc/thread-self/stat");

    private ThreadNice() {
    }

    /** Whether this system shows a thread's own stat file (Linux 3.17+). */
    static boolean readable() {
        return Files.isReadable(STAT);
    }

    /** Whether util-linux's {@code renice} is on the PATH. */
    static boolean reniceAvailable() {
        try {
            Process p = new ProcessBuilder("renice", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The calling thread's nice value: field 19 of proc(5)'s {@code stat}, counted after the command's ")". */
    static int ofThisThread() {
        try {
            String stat = Files.readString(STAT);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[19 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
