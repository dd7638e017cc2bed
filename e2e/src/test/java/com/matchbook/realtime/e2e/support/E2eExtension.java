package com.matchbook.realtime.e2e.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives tests their {@link ServerProcess} and {@link Browsers} parameters and cleans up after them:
 * <ul>
 *     <li>{@code ServerProcess}: one shared server for the whole run (started on first use, stopped when the run
 *     ends); with {@link OwnServer}, a server for this test alone, killed after it;
 *     {@link OwnServer#value()} adds settings.</li>
 *     <li>{@code Cluster}: Redis, two nodes and a load balancer for this test alone, all killed after it.</li>
 *     <li>{@code Browsers}: a fresh set per test, every browser quit after the test, failed or not.</li>
 *     <li>When a test fails: prints each of its servers' log lines written during the test, and saves a screenshot
 *     and the DOM of every open window under {@code target/e2e/}.</li>
 *     <li>After every test: fails it if any of its browsers logged a console error or a CSP violation
 *     ({@link ConsoleLog}), so the whole run proves the pages' consoles stay clean.</li>
 * </ul>
 */
public final class E2eExtension implements ParameterResolver, TestExecutionExceptionHandler, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(E2eExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ServerProcess.class || type == Browsers.class || type == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Used used = used(context);
        if (parameter.getParameter().getType() == Browsers.class) {
            Browsers browsers = new Browsers(context.getDisplayName());
            used.browsers.add(browsers);
            return browsers;
        }
        if (parameter.getParameter().getType() == Cluster.class) {
            // Named after the class, not the method: the names show in every line of the balancer's log.
            Cluster cluster = Cluster.start(context.getRequiredTestClass().getSimpleName());
            used.clusters.add(cluster);
            cluster.logSources().forEach(source -> used.logOffsets.add(new LogMark(source, source.logSize())));
            return cluster;
        }
        ServerProcess server;
        if (parameter.isAnnotated(OwnServer.class)) {
            server = ServerProcess.start(context.getRequiredTestMethod().getName(),
                                         settings(parameter.findAnnotation(OwnServer.class).orElseThrow()));
            used.ownServers.add(server);
        } else {
            server = context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent("shared-server", key -> new Shared(ServerProcess.start("shared", Map.of())),
                                          Shared.class)
                    .server();
        }
        used.logOffsets.add(new LogMark(server, server.logSize()));
        return server;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Used used = used(context);
        String label = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        StringBuilder report = new StringBuilder();
        report.append("\n==== e2e failure: ").append(label).append(": ").append(failure).append('\n');
        for (Browsers browsers : used.browsers) {
            report.append("---- browser windows saved:\n").append(browsers.snapshot(label));
        }
        for (LogMark mark : used.logOffsets) {
            report.append("---- log of ").append(mark.source()).append(" during the test:\n")
                    .append(mark.source().logSince(mark.offset()));
        }
        report.append("==== end of ").append(label).append('\n');
        System.out.print(report);
        System.out.flush();
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> errors = new ArrayList<>();
        for (Browsers browsers : used(context).browsers) {
            errors.addAll(browsers.peekConsoleErrors());
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("the pages logged console errors (a clean console is part of the contract):\n  "
                                     + String.join("\n  ", errors));
        }
    }

    /** What one test got, kept in the test method's store so that it is closed when the test ends. */
    private static Used used(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Used.class, key -> new Used(), Used.class);
    }

    /** {@code key=value} entries of {@link OwnServer#value()}. */
    private static Map<String, String> settings(OwnServer own) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String entry : own.value()) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("@OwnServer settings are key=value, not \"" + entry + "\"");
            }
            settings.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return settings;
    }

    private record LogMark(LogSource source, long offset) {
    }

    private static final class Used implements ExtensionContext.Store.CloseableResource {
        private final List<Browsers> browsers = new ArrayList<>();
        private final List<ServerProcess> ownServers = new ArrayList<>();
        private final List<Cluster> clusters = new ArrayList<>();
        private final List<LogMark> logOffsets = new ArrayList<>();

        @Override
        public void close() {
            try {
                for (Browsers set : browsers) {
                    set.close();
                }
            } finally {
                try {
                    ownServers.forEach(ServerProcess::close);
                } finally {
                    clusters.forEach(Cluster::close);
                }
            }
        }
    }

    private record Shared(ServerProcess server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
