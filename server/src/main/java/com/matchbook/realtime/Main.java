package com.matchbook.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import com.matchbook.realtime.limits.ListenerWatch;
import com.matchbook.realtime.limits.StartupBacklog;

/** Starts the service: {@code java -jar matchbook-server.jar}, configured by application.yaml and -D overrides. */
public final class Main {
    static {
        // Before anything logs: the JDK picks its LogManager once, on first use (see ShutdownLogManager).
        System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
    }

    /**
     * Next, before the logging is set up (90 ms on one core): every moment the port is closed while the node starts
     * adds to the reconnecting clients' backoff (see StartupBacklog).
     */
    private static final Optional<StartupBacklog> EARLY_BACKLOG =
            StartupBacklog.openConfigured(System.getProperties(), System.getenv());

    private static final System.Logger LOG = System.getLogger(Main.class.getName());
    /** EX_TEMPFAIL (sysexits.h): the listener died; restarting the node is the cure. */
    static final int EXIT_LISTENER_DEAD = 75;

    private Main() {
    }

    public static void main(String[] args) {
        Optional<StartupBacklog> backlog = EARLY_BACKLOG;
        LogConfig.configureRuntime();
        Config config = Config.create();
        Services.set(Config.class, config);   // Helidon's own parts (metrics, health) read it from the registry
        String host = config.get("server.host").asString().orElse("0.0.0.0");
        backlog = backlog.filter(b -> b.keepFor(host, config.get("server.port").asInt().orElse(8080)));
        Settings settings = Settings.from(config);
        // Follows for the life of the process (the JDK's notifications hold it): nothing to close at exit.
        SoftMaxHeap.follow(config.get("matchbook.jvm.soft-max-follows-live").asBoolean().orElse(true));
        Realtime app = new Realtime(settings);

        WebServerConfig.Builder builder = WebServer.builder().config(config.get("server"));
        ServerSetup.setup(builder, app);
        backlog.ifPresent(b -> builder.putListenerSocketOption(StandardSocketOptions.SO_REUSEPORT, true));
        WebServer server = builder.build().start();
        backlog.ifPresent(StartupBacklog::close);
        if (!server.isRunning()) {
            // Helidon logs the cause (a taken port: BindException) and stops itself; it does not throw.
            failToStart(app, config);
        }
        LOG.log(Level.INFO, "event=started port=" + server.port() + " store=" + settings.historyStore()
                + " broker=" + settings.broker() + " auth=" + (settings.authEnabled() ? "on" : "off")
                + " startup-backlog=" + (backlog.isPresent() ? "held" : "off"));

        ListenerWatch watch = watchListener(host, server, app);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.close();
            LOG.log(Level.INFO, "event=stopping");
            app.drain(settings.drainWindow());   // SIGTERM: see Settings.Timings.DRAIN_WINDOW
            server.stop();
            app.close();
            LOG.log(Level.INFO, "event=stopped");
            ShutdownLogManager.finish();
        }, "matchbook-shutdown"));
    }

    /** Nothing listens: say so in one line and exit with status 1, so scripts and supervisors see the failure. */
    private static void failToStart(Realtime app, Config config) {
        String port = config.get("server.port").asString().orElse("8080");
        LOG.log(Level.ERROR, "event=start-failed port=" + port + ": could not listen (is the port already taken?"
                + " pick another with -Dserver.port=N)");
        app.close();
        ShutdownLogManager.finish();
        System.exit(1);
    }

    /**
     * A listener that stopped listening (Helidon 4.5 stops it for good on any accept failure, e.g. out of descriptors)
     * ends the process with {@link #EXIT_LISTENER_DEAD}: a supervisor restarts a node that exits, while a live node
     * that no longer listens only looks up. Not an in-process restart: Helidon's dead listener keeps its thread and
     * state, and a new listener in the same exhausted process would meet the same failure.
     */
    private static ListenerWatch watchListener(String host, WebServer server, Realtime app) {
        try {
            return ListenerWatch.start(host, server.port(),
                                       Settings.Timings.LISTENER_PROBE, () -> {
                app.connectionGuard().listenerDown();
                LOG.log(Level.ERROR, "event=listener-dead port=" + server.port()
                        + ": the server socket stopped accepting; exiting with " + EXIT_LISTENER_DEAD
                        + " so a supervisor restarts this node");
                System.exit(EXIT_LISTENER_DEAD);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch the listener", e);
        }
    }
}
