package com.matchbook.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import io.helidon.webclient.websocket.WsClient;
import io.helidon.websocket.WsSession;

/**
 * Helidon's WebSocket client (4.2.0), shared by every attempt of one {@link MatchbookClient}.
 *
 * <p>Two gaps of that client are closed here. It reports a connection that just vanished (no close frame) to
 * nobody: its read loop returns silently. So it runs on our executor, which tells the {@link Socket} when its read
 * loop ended. And the upgrade's read timeout stays on the socket afterwards, so a quiet connection would die after
 * it: it is set long, and liveness is judged from the server's pings instead.
 */
final class Transport {
    /** Far above any heartbeat; a dead connection is found by the ping deadline long before this. */
    private static final Duration SOCKET_READ_TIMEOUT = Duration.ofHours(1);

    private final ReadLoops readLoops = new ReadLoops();
    private final WsClient client;

    Transport(Duration connectTimeout) {
        this.client = WsClient.builder()
                .executor(readLoops)
                .connectTimeout(connectTimeout)
                .readTimeout(SOCKET_READ_TIMEOUT)
                .build();
    }

    /** Blocks until the socket is upgraded (then {@link Socket#onOpen} has been called) or throws. */
    void open(URI uri, Socket socket) {
        client.connect(uri, socket);
    }

    /** Runs {@code hook} when the read loop of {@code session} returns, however it ends. */
    void onReadLoopEnd(WsSession session, Runnable hook) {
        readLoops.endHooks.put(session, hook);
    }

    /**
     * Starts each read loop on a virtual thread. Helidon submits the session itself as the task, which is how the end
     * of a loop is matched to its session.
     */
    private static final class ReadLoops extends AbstractExecutorService {
        private final Map<Object, Runnable> endHooks = new ConcurrentHashMap<>();

        @Override
        public Future<?> submit(Runnable task) {
            FutureTask<Void> future = new FutureTask<>(() -> {
                try {
                    task.run();
                } finally {
                    Runnable hook = endHooks.remove(task);
                    if (hook != null) {
                        hook.run();
                    }
                }
            }, null);
            execute(future);
            return future;
        }

        @Override
        public void execute(Runnable command) {
            Thread.ofVirtual().name("matchbook-ws-reader").start(command);
        }

        // One virtual thread per task and nothing pooled: there is nothing to shut down.
        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
