package com.matchbook.realtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.matchbook.realtime.support.Http;
import com.matchbook.realtime.support.ServerProcess;
import com.matchbook.realtime.support.TestSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged server as a process: what SIGTERM and SIGKILL do to users. */
class ProcessIT {
    @TempDir
    Path data;

    @Test
    void sigtermClosesEverySocketWith1001AndAHintThenExits() throws Exception {
        try (ServerProcess server = new ServerProcess(data, Map.of()).start()) {
            List<TestSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sockets.add(TestSocket.welcomed(server.ws("?id=leaving-" + i)));
            }
            Duration took = server.terminate(Duration.ofSeconds(30));
            for (TestSocket s : sockets) {
                TestSocket.Close close = s.awaitClose();
                assertEquals(1001, close.code());
                assertTrue(close.reason().matches(".*retry-after-ms=\\d+.*"), close.reason());
                s.close();
            }
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "exited after " + took);
        }
    }

    @Test
    void acceptedMessageSurvivesSigkill() throws Exception {
        ServerProcess first = new ServerProcess(data, Map.of()).start();
        String id;
        try {
            Http.Reply r = Http.postJson(first.http("/send-message"),
                                         "{\"to\":\"crash-victim\",\"from\":\"alice\",\"text\":\"durable\"}");
            assertEquals(202, r.status());
            id = r.json().getString("id");
            first.kill();
        } finally {
            first.close();
        }
        try (ServerProcess second = new ServerProcess(data, Map.of()).start();
             TestSocket s = TestSocket.welcomed(second.ws("?id=crash-victim"))) {
            assertEquals(1, s.welcome().getInt("lastSeq"));
            var m = s.next("message");
            assertEquals(id, m.getString("id"));
            assertEquals("durable", m.getString("text"));
            Http.Reply next = Http.postJson(second.http("/send-message"), "{\"to\":\"crash-victim\",\"text\":\"x\"}");
            assertEquals(2, next.json().getInt("seq"), "numbering continues after the crash");
        }
    }
}
