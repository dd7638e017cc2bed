package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process of a test (server, Redis, load balancer) that writes a log file under {@code target/e2e/}; a failing test
 * prints what each of its processes wrote during the test.
 */
public interface LogSource {
    Path logFile();

    /** How many bytes the log holds now: remember it before a test, print {@link #logSince} after a failure. */
    default long logSize() {
        try {
            return Files.exists(logFile()) ? Files.size(logFile()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    default String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(logFile());
            int from = (int) Math.min(Math.max(offset, 0), all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile() + ": " + e + ")";
        }
    }
}
