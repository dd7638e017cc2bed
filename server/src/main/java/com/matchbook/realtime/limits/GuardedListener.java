package com.matchbook.realtime.limits;

import java.util.ArrayList;
import java.util.List;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ProtocolConfig;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Puts {@link ConnectionGuard} on a listener. What Helidon 4.5.0 gives, read in its source
 * ({@code ServerListener.listen}, {@code ConnectionHandler}, {@code IdleTimeoutHandler}), and why it is not enough
 * alone:
 * <ul>
 *     <li>{@code maxTcpConnections}: a semaphore taken <em>before</em> {@code accept}. At the cap the accept loop
 *     blocks; new connections wait in the kernel's backlog (1024) and then in SYN retries. Nothing is refused, nobody
 *     is told to come back later. It does bound the descriptors that sockets take, so it is set here, to
 *     {@code max-connections} plus a small refusal band ({@link DescriptorBudget}): over {@code max-connections} the
 *     guard answers 503 at once, and only if refusals themselves pile up does accept wait.</li>
 *     <li>It does not stop {@code accept} from failing with {@code EMFILE} when other descriptors (store, Redis,
 *     jars, logs) fill the table: any exception from {@code accept} makes the listener close its server socket and
 *     all connections, and its thread then waits forever on its own close future, keeping the process alive and
 *     deaf. Hence the descriptor reserve, and {@code ListenerWatch} as the last resort.</li>
 *     <li>{@code maxConcurrentRequests}: limits requests being handled, not connections; a connection waiting for
 *     its head is not a request. Not used.</li>
 *     <li>{@code idleConnectionTimeout} (5 min, checked every 2 min): the 354-360 s seen for slow heads. It measures
 *     from the last request, so a trickling head is idle too, but minutes late; it cannot be short, because it also
 *     applies to WebSocket connections. Left as it is, a backstop.</li>
 *     <li>{@code connectionOptions().readTimeout()}: not applied to server sockets at all (it is the client's);
 *     a per-read timeout would not stop one byte every few seconds anyway.</li>
 *     <li>{@code maxPayloadSize}: bounds a request body's size, not its time. A body that trickles in holds its
 *     connection for as long as the client likes: the idle timeout's {@code close(false)} does not interrupt a
 *     request in progress. The guard's filter reads bodies through {@link TimedBody}.</li>
 *     <li>A response with {@code Connection: close}: the HTTP/1 loop goes on reading the next request. The guard's
 *     filter stops it.</li>
 * </ul>
 * So the guard replaces the listener's HTTP/1 selector with {@link GuardedSelector} wrapping Helidon's own (the same
 * {@code Http1ConnectionProvider}, the same upgrade providers, found by the same service loader).
 */
public final class GuardedListener {
    private GuardedListener() {
    }

    /**
     * Call after every protocol is added to {@code server}: takes the HTTP/1 settings and upgrade protocols from it.
     * Turns off protocol discovery for the listener: the HTTP/1 selector is built here, and a second one would defeat
     * the guard.
     */
    public static void install(WebServerConfig.Builder server, ConnectionGuard guard) {
        List<ProtocolConfig> protocols = new ArrayList<>(server.protocols());
        Http1Config http1 = protocols.stream()
                .filter(Http1Config.class::isInstance)
                .map(Http1Config.class::cast)
                .findFirst()
                .orElseGet(Http1Config::create);
        protocols.removeIf(Http1Config.class::isInstance);
        // The only listeners: Helidon 4.5.0 combines several into one that forwards no prologue, headers or status
        // event (Http1ConnectionListenerUtil.ListFrameListener is empty), so a second one, such as the wire logger
        // it adds when none is set, would silence the guard. Wire logging is therefore unavailable on this listener.
        Http1Config guarded = Http1Config.builder()
                .from(http1)
                .receiveListeners(List.of(forwardingTo(http1.receiveListeners(), guard.headListener())))
                .sendListeners(List.of(guard.statusListener()))
                .build();
        ServerConnectionSelector selector = new Http1ConnectionProvider()
                .create(server.name(), guarded, ProtocolConfigs.create(protocols));
        server.protocolsDiscoverServices(false)
                .protocols(protocols)
                .addConnectionSelector(new GuardedSelector(selector, guard))
                .maxTcpConnections(DescriptorBudget.acceptCapFor(guard.limits().maxConnections()));
    }

    /**
     * One listener that hands each request head to the listeners configured before (such as the wire layer's
     * {@code UpgradeTokenCase}, which must see headers before the upgrader is picked) and then to the guard: Helidon's
     * own combination of several forwards nothing.
     */
    private static Http1ConnectionListener forwardingTo(List<Http1ConnectionListener> earlier,
                                                        Http1ConnectionListener guardHead) {
        List<Http1ConnectionListener> all = new ArrayList<>(earlier);
        all.add(guardHead);
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                all.forEach(l -> l.prologue(ctx, prologue));
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                all.forEach(l -> l.headers(ctx, headers));
            }
        };
    }

    /** The routing filter that tells the guard where each routed request ends; register it first. */
    public static Filter filter(ConnectionGuard guard) {
        return new ConnectionFilter(guard);
    }
}
