package com.matchbook.realtime.support;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One server for a test class, started before its first test and stopped after its last, and after every test the
 * check that nothing was logged with a stack trace (PROTOCOL.md: a client's mistake gets a clear error, "never a
 * stack trace in the log"). Register it on a static field with {@code @RegisterExtension}; it starts before the
 * class's own {@code @BeforeAll} methods run.
 */
public final class TracelessServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final Map<String, String> settings;
    private RunningServer server;
    private StackTraces traces;

    /** @param settings the server's {@code -D} settings, as {@link RunningServer#start(Map)} takes them */
    public TracelessServer(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The running server; only between the class's first and last test. */
    public RunningServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RunningServer.start(settings);
        traces = StackTraces.watch();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertEquals(List.of(), traces.seen(), "logged with a stack trace");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        traces.close();
        server.close();
    }
}
