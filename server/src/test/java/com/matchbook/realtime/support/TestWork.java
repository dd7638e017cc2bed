package com.matchbook.realtime.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the harnesses that own processes (Redis, Sentinel, a server node) keep their files: {@code target/test-work}
 * under the module (Maven runs tests there), or {@code -Dmatchbook.test.work.dir}. Not the system's temporary
 * directory: the logs must outlive a failed test for a person to read them, and under {@code target} they go with
 * {@code mvn clean} instead of piling up in {@code /tmp} run after run (about 25 MB of append-only files and logs per
 * full run). The e2e module keeps its own the same way ({@code target/e2e}).
 */
public final class TestWork {
    private TestWork() {
    }

    /** The directory, made if missing. */
    public static Path dir() {
        try {
            return Files.createDirectories(Path.of(System.getProperty("matchbook.test.work.dir", "target/test-work")))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the tests' work directory", e);
        }
    }
}
