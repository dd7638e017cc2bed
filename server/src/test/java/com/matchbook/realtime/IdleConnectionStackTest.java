package com.matchbook.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Eventually;
import com.matchbook.realtime.support.Json;
import com.matchbook.realtime.support.RawSocket;
import com.matchbook.realtime.support.RunningServer;

import com.sun.management.HotSpotDiagnosticMXBean;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An idle WebSocket's thread waits for the client's next frame with one frame of the server's above the JDK's read:
 * {@code WireConnection.handle} -> {@code ChannelInput.awaitAvailable} -> the channel's {@code read}. What it guards is
 * memory: the parked stack is the largest thing an idle connection holds, and after the first keepalive round each frame
 * from the connection's loop up is held twice (docs/performance.md, "Where an idle connection's bytes go"; 850-940 bytes
 * per connection for the four frames this took out). Read from the JDK's own thread dump, which includes virtual threads.
 */
class IdleConnectionStackTest {
    private static final String LOOP = "com.matchbook.realtime.ws.wire.WireConnection.handle(";
    private static RunningServer server;

    @BeforeAll
    static void start() {
        // The thread-per-connection model this guards, whatever the build run asks for.
        server = RunningServer.start(Map.of("matchbook.ws.selector-threads", "0"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anIdleConnectionWaitsOneOfOurFramesAboveItsLoop() throws Exception {
        try (RawSocket raw = new RawSocket(server.port(), "?id=idle-stack")) {
            raw.read();   // the welcome: the connection is open and has nothing more to read
            List<String> ours = Eventually.value("the connection's thread parked in a read",
                    IdleConnectionStackTest::framesAboveTheLoopOfAParkedConnection, frames -> frames != null);
            assertEquals(List.of("com.matchbook.realtime.ws.wire.ChannelInput.awaitAvailable"), ours);
        }
    }

    /**
     * The server's own frames (not the JDK's) above {@link #LOOP} in the one connection thread whose top frame is a
     * park, as {@code class.method}; null while there is no such thread yet.
     */
    private static List<String> framesAboveTheLoopOfAParkedConnection() {
        for (List<String> stack : stacks()) {
            int loop = indexOf(stack, LOOP);
            if (loop < 0 || stack.isEmpty() || !stack.get(0).contains(".park(")) {
                continue;
            }
            List<String> ours = new ArrayList<>();
            for (String frame : stack.subList(0, loop)) {
                if (!frame.startsWith("java.base/")) {
                    ours.add(frame.substring(0, frame.indexOf('(')));
                }
            }
            return ours;
        }
        return null;
    }

    private static int indexOf(List<String> stack, String prefix) {
        for (int i = 0; i < stack.size(); i++) {
            if (stack.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** Every thread's stack, top frame first, from the JDK's JSON thread dump. */
    private static List<List<String>> stacks() {
        try {
            Path dir = Files.createTempDirectory("threads");
            Path file = dir.resolve("dump.json");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            JsonObject dump = Json.parse(Files.readString(file)).getJsonObject("threadDump");
            Files.delete(file);
            Files.delete(dir);
            List<List<String>> stacks = new ArrayList<>();
            for (JsonValue container : dump.getJsonArray("threadContainers")) {
                for (JsonValue thread : container.asJsonObject().getJsonArray("threads")) {
                    JsonArray frames = thread.asJsonObject().getJsonArray("stack");
                    stacks.add(frames.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList());
                }
            }
            return stacks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
