package com.matchbook.realtime.limits;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Marks where a routed request starts and ends, for {@link ConnectionGuard}: its body is read on a deadline
 * ({@link TimedBody}); after the response, either the keep-alive deadline starts, or, with {@code Connection: close}
 * on either side, the connection ends.
 */
final class ConnectionFilter implements Filter {
    private final ConnectionGuard guard;

    ConnectionFilter(ConnectionGuard guard) {
        this.guard = guard;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        guard.routing(req);
        boolean close = req.headers().containsToken(HeaderValues.CONNECTION_CLOSE);
        try {
            chain.proceed();
        } finally {
            guard.responded(close || res.headers().containsToken(HeaderValues.CONNECTION_CLOSE));
        }
    }
}
