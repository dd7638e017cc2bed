package com.matchbook.realtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.support.ServerProcess;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees when the packaged jar starts: a clean log when it listens, a clear failure when it cannot. */
class StartupIT {
    private static final Path JAR = Path.of(System.getProperty("matchbook.jar", "target/matchbook-server.jar"));

    @TempDir
    Path data;

    @Test
    void aTakenPortFailsWithAClearLineAndExitStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path log = data.resolve("server.log");
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                   "-Dserver.port=" + taken.getLocalPort(),
                                                   "-Dmatchbook.store=memory", "-jar", JAR.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running 60 s after failing to listen; log:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            assertEquals(1, p.exitValue(), output);
            assertTrue(output.contains("event=start-failed port=" + taken.getLocalPort()), output);
            assertFalse(output.contains("event=started"), "started is logged only once it listens:\n" + output);
        }
    }

    @Test
    void aStartWithTheDiskStoreLogsNoJdkWarning() throws IOException, InterruptedException {
        try (ServerProcess server = new ServerProcess(data, Map.of()).start()) {
            String log = server.log();
            assertTrue(log.contains("event=started port=") && log.contains("store=disk"), log);
            // SQLite loads its native library: without Enable-Native-Access in the manifest the JDK warns here.
            assertFalse(log.contains("WARNING:"), "no JDK warnings at start:\n" + log);
        }
    }
}
