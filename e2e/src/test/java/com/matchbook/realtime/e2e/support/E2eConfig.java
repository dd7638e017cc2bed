package com.matchbook.realtime.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where things are, as the pom passes them in (with the same defaults, so a test also runs from an IDE). */
public final class E2eConfig {
    private E2eConfig() {
    }

    /**
     * The server jar to run: a copy of the packaged {@code matchbook-server.jar} and its {@code libs/}, taken once
     * per test run, so a restart runs the very same build even if the server module is rebuilt meanwhile.
     */
    public static Path serverJar() {
        return ServerCopy.JAR;
    }

    private static final class ServerCopy {
        private static final Path JAR = copyPackagedServer();

        private static Path copyPackagedServer() {
            Path jar = Path.of(System.getProperty("e2e.server.jar", "../server/target/matchbook-server.jar"));
            Path libs = jar.resolveSibling("libs");
            if (!Files.isRegularFile(jar) || !Files.isDirectory(libs)) {
                throw new IllegalStateException("No packaged server at " + jar.toAbsolutePath() + " (with libs/): "
                                                        + "build it first (mvn -f server/pom.xml package)");
            }
            try {
                Path copy = Files.createTempDirectory(workDir(), "server-");
                Files.createDirectory(copy.resolve("libs"));
                try (Stream<Path> files = Files.list(libs)) {
                    for (Path lib : (Iterable<Path>) files::iterator) {
                        Files.copy(lib, copy.resolve("libs").resolve(lib.getFileName()));
                    }
                }
                return Files.copy(jar, copy.resolve(jar.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the packaged server from " + jar, e);
            }
        }
    }

    /** The chromedriver binary. Never left to Selenium Manager, which would try to download one. */
    public static Path chromedriver() {
        return executable("webdriver.chrome.driver", "/usr/bin/chromedriver");
    }

    public static Path chromium() {
        return executable("e2e.chromium", "/usr/bin/chromium");
    }

    /** Debian's {@code redis-server}, for the cluster tests. */
    public static Path redisServer() {
        Path path = Path.of(System.getProperty("e2e.redis.server", "/usr/bin/redis-server"));
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " (-De2e.redis.server) is not an executable: install Debian's "
                                                    + "redis-server (./test.sh does)");
        }
        return path;
    }

    /** {@code target/e2e}: server logs, data directories, browser profiles and failure snapshots. */
    public static Path workDir() {
        Path dir = Path.of(System.getProperty("e2e.work.dir", "target/e2e"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code target/screenshots}: the pages at the two reviewed sizes, kept for people to look at. */
    public static Path screenshotsDir() {
        Path dir = Path.of(System.getProperty("e2e.screenshots.dir", "target/screenshots"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** axe-core's {@code axe.min.js}, which the e2e module's {@code npm ci} installs (pom.xml). */
    public static Path axeScript() {
        Path path = Path.of(System.getProperty("e2e.axe.script", "node_modules/axe-core/axe.min.js"));
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " (-De2e.axe.script) is missing: run the e2e module's npm ci "
                                                    + "(mvn -f e2e/pom.xml generate-test-resources)");
        }
        return path;
    }

    private static Path executable(String property, String fallback) {
        Path path = Path.of(System.getProperty(property, fallback));
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " (-D" + property + ") is not an executable: install Debian's "
                                                    + "chromium and chromium-driver (bin/env.sh test_prerequisites)");
        }
        System.setProperty(property, path.toString());
        return path;
    }
}
