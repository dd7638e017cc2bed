package com.matchbook.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.matchbook.realtime.limits.StartupBacklog;
import com.matchbook.realtime.support.Eventually;
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

    /**
     * After a crash, clients reconnect while the node starts. Where the kernel hands queued connections over
     * ({@code net.ipv4.tcp_migrate_req=1}, README "Deployment") the port accepts from the first moments and the
     * upgrade is answered once the web server listens; elsewhere the port opens with the web server, as before.
     */
    @Test
    void aClientConnectingWhileTheNodeStartsIsAnsweredOnceItListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = data.resolve("server.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                               "-Dserver.port=" + port, "-Dmatchbook.store=memory",
                                               "-jar", JAR.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (Socket client = connectWhileStarting(port, p, log)) {
            boolean startedWhenConnected = Files.readString(log).contains("event=started");
            client.setSoTimeout(60_000);
            client.getOutputStream().write(("GET /ws?id=ann HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new String(client.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 101", status, Files.readString(log));
            Eventually.holds("the start is logged", () -> read(log).contains("event=started"),
                             Duration.ofSeconds(30));
            String output = Files.readString(log);
            if (StartupBacklog.migrates()) {
                assertFalse(startedWhenConnected, "connected before the web server listened:\n" + output);
                assertTrue(output.contains("startup-backlog=held"), output);
            } else {
                assertTrue(output.contains("startup-backlog=off"), output);
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects as soon as anything listens on the port, as a reconnecting client does. */
    private static Socket connectWhileStarting(int port, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new AssertionError("the server ended; log:\n" + Files.readString(log));
            }
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return s;
            } catch (IOException refused) {
                s.close();
                Thread.sleep(5);   // the pace of a client polling a port, not a wait for a condition
            }
        }
        throw new AssertionError("nothing listened on " + port + " within 60 s; log:\n" + Files.readString(log));
    }

    @Test
    void aStartWithTheDefaultStoreLogsNoJdkWarning() throws IOException, InterruptedException {
        try (ServerProcess server = new ServerProcess(data, Map.of()).start()) {
            String log = server.log();
            assertTrue(log.contains("event=started port=") && log.contains("store=tiered"), log);
            // SQLite loads its native library: without Enable-Native-Access in the manifest the JDK warns here.
            assertFalse(log.contains("WARNING:"), "no JDK warnings at start:\n" + log);
            // An operator's view of the mover: its meters are there from the start.
            String metrics = com.matchbook.realtime.support.Http.get(server.http("/metrics"), "text/plain").body();
            assertEquals(0.0, sample(metrics, "matchbook_archive_moved_entries_total"), metrics);
            assertEquals(0.0, sample(metrics, "matchbook_archive_move_failures_total"), metrics);
            assertEquals(86_400.0, sample(metrics, "matchbook_archive_window_seconds"), "a day, the default");
            assertTrue(sample(metrics, "matchbook_store_memory_bytes") >= 0, metrics);
        }
    }

    /** The value of the one sample named {@code name} in Prometheus text, whatever its labels. */
    private static double sample(String metrics, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "(\\{[^}]*})? (\\S+)$")
                                                           .matcher(metrics);
        assertTrue(m.find(), name + " in\n" + metrics);
        return Double.parseDouble(m.group(2));
    }
}
